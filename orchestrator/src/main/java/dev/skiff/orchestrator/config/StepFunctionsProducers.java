package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.adapter.sfn.CancelledExecutions;
import dev.skiff.orchestrator.adapter.sfn.StateMachineOptions;
import dev.skiff.orchestrator.adapter.sfn.StateMachines;
import dev.skiff.orchestrator.adapter.sfn.StepFunctionsRunEngine;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.workflows.CompileOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The {@code stepfunctions} engine's parts. {@link AdapterProducers} asks for them only when
 * {@code skiff.engine=stepfunctions}, so the embedded default never builds an AWS client or reads {@code skiff.sfn.}.
 */
@ApplicationScoped
public class StepFunctionsProducers {

    @Produces
    @Singleton
    SfnClient sfn(AwsConfig aws) {
        return AwsClientProducers.configured(SfnClient.builder(), aws).build();
    }

    void close(@Disposes SfnClient sfn) {
        sfn.close();
    }

    /** The engine, with every job of the catalog registered as a state machine now and on each change. */
    static StepFunctionsRunEngine engine(StepFunctionsConfig config, SfnClient sfn, JobCatalog catalog) {
        var machines = new StateMachines(sfn, options(config));
        machines.follow(catalog);
        return new StepFunctionsRunEngine(sfn, machines, CancelledExecutions.NONE);
    }

    static StateMachineOptions options(StepFunctionsConfig config) {
        String role = config.roleArn().filter(s -> !s.isBlank()).orElseThrow(() -> new SkiffException(
                "skiff.sfn.role-arn: required with skiff.engine=stepfunctions (the role the state machines run as)"));
        String queue = config.dispatchQueueUrl().filter(s -> !s.isBlank()).orElseThrow(() -> new SkiffException(
                "skiff.sfn.dispatch-queue-url: required with skiff.engine=stepfunctions (the queue the state machines send launches to)"));
        try {
            CompileOptions compile = CompileOptions.defaults().withDispatchQueueUrl(queue)
                    .withHeartbeat(config.heartbeat()).withLaunchAllowance(config.launchAllowance());
            return new StateMachineOptions(config.namePrefix(), role, compile);
        } catch (IllegalArgumentException e) {
            throw new SkiffException("skiff.sfn: " + e.getMessage(), e);
        }
    }
}
