package dev.skiff.orchestrator.adapter.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.workflows.WorkflowCompiler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** State machines per job, against moto's Step Functions with the real SDK. */
class StateMachinesTest {

    private static SfnClient sfn;
    private static SqsClient sqs;
    private static StateMachineOptions options;

    @BeforeAll
    static void clients() {
        sfn = MotoStepFunctions.sfn();
        sqs = MotoStepFunctions.sqs();
        options = StateMachineOptions.of(MotoStepFunctions.ROLE_ARN, MotoStepFunctions.dispatchQueue(sqs));
    }

    @AfterAll
    static void close() {
        sfn.close();
        sqs.close();
    }

    @Test
    void shouldCreateATaggedStateMachineWithAVersionWhenAJobIsFirstRegistered() {
        // Given a job that has no state machine yet
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("created"), "true");
        var machines = new StateMachines(sfn, options);

        // When it is registered
        var change = machines.register(job);

        // Then skiff-<job> runs its compiled definition, with the dispatch queue, the role, the job tag and one version
        assertThat(change).isEqualTo(StateMachines.Change.CREATED);
        String arn = machines.arnOf(job.name()).orElseThrow();
        var described = sfn.describeStateMachine(r -> r.stateMachineArn(arn));
        assertThat(described.name()).isEqualTo("skiff-" + job.name());
        assertThat(described.definition()).isEqualTo(WorkflowCompiler.compile(job, options.compile()))
                .contains(options.compile().dispatchQueueUrl());
        assertThat(described.roleArn()).isEqualTo(MotoStepFunctions.ROLE_ARN);
        assertThat(sfn.listTagsForResource(r -> r.resourceArn(arn)).tags())
                .anySatisfy(tag -> {
                    assertThat(tag.key()).isEqualTo(StateMachines.JOB_TAG);
                    assertThat(tag.value()).isEqualTo(job.name());
                });
        assertThat(versions(arn)).isEqualTo(1);
    }

    @Test
    void shouldNeitherUpdateNorPublishWhenTheDefinitionIsUnchanged() {
        // Given a job registered once, and a second replica (nothing cached) that sees the same spec
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("same"), "true");
        new StateMachines(sfn, options).register(job);
        var otherReplica = new StateMachines(sfn, options);

        // When both register it again
        var first = otherReplica.register(job);
        var second = otherReplica.register(job);

        // Then nothing changed: still the one version; the first asked Step Functions, the second knew without a call
        assertThat(first).isEqualTo(StateMachines.Change.UNCHANGED);
        assertThat(second).isEqualTo(StateMachines.Change.KNOWN);
        assertThat(versions(otherReplica.arnOf(job.name()).orElseThrow())).isEqualTo(1);
    }

    @Test
    void shouldUpdateAndPublishAVersionWhenTheDefinitionChanged() {
        // Given a registered job
        String name = MotoStepFunctions.jobName("changed");
        var machines = new StateMachines(sfn, options);
        machines.register(TestSpecs.shell(name, "true"));

        // When its timeout changes (so its compiled TimeoutSeconds does)
        JobSpec changed = TestSpecs.shell(name, "true", "timeout: 5m");
        var change = machines.register(changed);

        // Then the state machine holds the new definition, published as a second version
        assertThat(change).isEqualTo(StateMachines.Change.UPDATED);
        String arn = machines.arnOf(name).orElseThrow();
        assertThat(sfn.describeStateMachine(r -> r.stateMachineArn(arn)).definition())
                .isEqualTo(WorkflowCompiler.compile(changed, options.compile()));
        assertThat(versions(arn)).isEqualTo(2);
    }

    @Test
    void shouldCheckAtItsNextStartAMachineCreatedAsListedMissingThatAnotherReplicaMadeMeanwhile() {
        // Given a job whose machine another replica made with another definition after this replica's listing
        String name = MotoStepFunctions.jobName("raced");
        new StateMachines(sfn, options).register(TestSpecs.shell(name, "true"));
        JobSpec current = TestSpecs.shell(name, "true", "timeout: 5m");
        var machines = new StateMachines(sfn, options);

        // When this replica creates it as the listing said it was missing (moto answers with the existing machine),
        // then the job starts
        machines.createListedMissing(current);
        var change = machines.register(current);

        // Then the start described it and updated it to the current definition
        assertThat(change).isEqualTo(StateMachines.Change.UPDATED);
        String arn = machines.arnOf(name).orElseThrow();
        assertThat(sfn.describeStateMachine(r -> r.stateMachineArn(arn)).definition())
                .isEqualTo(WorkflowCompiler.compile(current, options.compile()));
    }

    @Test
    void shouldFindAMachineAnotherReplicaCreatedWithOneLookByItsName() {
        // Given a job whose machine another replica created
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("elsewhere"), "true");
        String created = new StateMachines(sfn, options).ensure(job);
        var counting = new CountingSfn(sfn);
        var fresh = new StateMachines(counting.client, options);

        // When this replica, which knows no machine, looks for it, and for a job that has none
        var found = fresh.arnOf(job.name());
        var missing = fresh.arnOf(MotoStepFunctions.jobName("nowhere"));

        // Then one DescribeStateMachine each found or missed it: the account's machines were not listed
        assertThat(found).contains(created);
        assertThat(missing).isEmpty();
        assertThat(counting.calls("describeStateMachine")).isEqualTo(2);
        assertThat(counting.calls("listStateMachines")).isZero();
        assertThat(fresh.all()).containsKey(job.name());
    }

    @Test
    void shouldUpdateAMachineAnotherReplicaMadeAfterThisOneListedTheMachines() {
        // Given a replica that listed every machine, and a job whose machine another replica made after that
        String name = MotoStepFunctions.jobName("after-listing");
        var machines = new StateMachines(sfn, options);
        machines.all();
        new StateMachines(sfn, options).ensure(TestSpecs.shell(name, "true"));

        // When the first replica makes the job's machine hold a changed spec (it tries to create it, as the listing lacked it)
        JobSpec changed = TestSpecs.shell(name, "true", "timeout: 5m");
        var change = machines.register(changed);

        // Then the machine that was there now holds the changed definition
        assertThat(change).isEqualTo(StateMachines.Change.UPDATED);
        String arn = machines.arnOf(name).orElseThrow();
        assertThat(sfn.describeStateMachine(r -> r.stateMachineArn(arn)).definition())
                .isEqualTo(WorkflowCompiler.compile(changed, options.compile()));
    }

    /** Moto 5.2.5 has no ListStateMachineVersions (HTTP 500), so versions are counted by describing {@code <arn>:n}. */
    private static int versions(String stateMachineArn) {
        int n = 0;
        while (true) {
            String version = stateMachineArn + ":" + (n + 1);
            try {
                sfn.describeStateMachine(r -> r.stateMachineArn(version));
                n++;
            } catch (StateMachineDoesNotExistException e) {
                return n;
            }
        }
    }
}
