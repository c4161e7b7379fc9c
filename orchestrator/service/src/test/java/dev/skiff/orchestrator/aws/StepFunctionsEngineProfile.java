package dev.skiff.orchestrator.aws;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The service in {@code stepfunctions} mode on moto, without the API tests' global resources. */
public class StepFunctionsEngineProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(StepFunctionsEngineResource.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
