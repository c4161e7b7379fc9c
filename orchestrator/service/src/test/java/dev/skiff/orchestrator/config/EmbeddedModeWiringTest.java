package dev.skiff.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.orchestrator.adapter.embedded.EmbeddedRunEngine;
import dev.skiff.orchestrator.adapter.local.ProcessTaskLauncher;
import dev.skiff.orchestrator.api.TempDataDir;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.TaskLauncher;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkClient;

/** The embedded default, as the service wires it: its own parts, and nothing of AWS mode built. */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class EmbeddedModeWiringTest {

    @Inject
    SkiffMode mode;

    @Inject
    RunEngine engine;

    @Inject
    TaskLauncher launcher;

    @Test
    void shouldRunTheEmbeddedModeWithoutBuildingAnAwsClientOrAnyStepFunctionsPart() {
        // Given / When the service started with the defaults
        // Then the embedded mode was chosen, and its ports are its own
        assertThat(mode).isInstanceOf(EmbeddedMode.class);
        assertThat(mode.choice()).hasToString("engine embedded, launcher process");
        assertThat(engine).isInstanceOf(EmbeddedRunEngine.class);
        assertThat(launcher).isInstanceOf(ProcessTaskLauncher.class);

        // And no AWS client, Step Functions part or Fargate launcher was built
        assertThat(built()).isNotEmpty().noneSatisfy(instance -> assertThat(instance)
                .isInstanceOfAny(SdkClient.class, StepFunctionsMode.class, StepFunctionsProducers.class,
                        dev.skiff.orchestrator.adapter.ecs.FargateTaskLauncher.class));
    }

    /** Every bean instance the container has built so far. */
    private static List<Object> built() {
        List<Object> instances = new ArrayList<>();
        for (var scope : List.of(Singleton.class, ApplicationScoped.class)) {
            instances.addAll(Arc.container().getActiveContext(scope).getState().getContextualInstances().values());
        }
        return instances;
    }
}
