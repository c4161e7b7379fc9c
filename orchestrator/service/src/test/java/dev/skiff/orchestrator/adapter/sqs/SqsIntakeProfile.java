package dev.skiff.orchestrator.adapter.sqs;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The service with only the SQS intake's resource: the API tests' global data directory and jobs stay out. */
public class SqsIntakeProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SqsIntakeResource.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
