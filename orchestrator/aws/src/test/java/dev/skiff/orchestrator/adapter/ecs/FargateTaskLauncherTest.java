package dev.skiff.orchestrator.adapter.ecs;

import static dev.skiff.orchestrator.adapter.ecs.FargateFixtures.job;
import static dev.skiff.orchestrator.adapter.ecs.FargateFixtures.request;

import dev.skiff.jobs.Capacity;
import dev.skiff.orchestrator.port.LaunchedTask;
import dev.skiff.orchestrator.port.TaskLauncher;
import dev.skiff.orchestrator.port.TaskLauncherContract;
import dev.skiff.orchestrator.port.TaskRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * The launcher contract on moto. Moto runs no containers, so the proxy's {@link ContainerEmulator} plays
 * them: what a task "does" (exit 3, run until stopped) is said by an EMULATED_* variable in its environment,
 * and what it "saw" is its environment override as ECS describes it.
 */
class FargateTaskLauncherTest extends TaskLauncherContract {

    private static EcsProxy proxy;
    private static EcsClient direct;

    private FargateTaskLauncher launcher;
    private EcsClient ecs;
    private MotoEcs moto;

    @BeforeAll
    static void startProxy() {
        proxy = new EcsProxy(MotoEcs.endpoint());
        direct = MotoEcs.client(MotoEcs.endpoint());
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
        direct.close();
    }

    @BeforeEach
    void createLauncher() {
        moto = MotoEcs.create(direct);
        ecs = MotoEcs.client(proxy.endpoint());
        launcher = FargateTaskLauncher.start(ecs, moto.options().withPollInterval(FargateFixtures.POLL)
                .withTeamExecutionRoles(java.util.Map.of("test-team", "arn:aws:iam::123456789012:role/skiff-execution-test-team")), FargateMetrics.NONE);
    }

    @Override
    protected TaskLauncher launcher() {
        return launcher;
    }

    @Override
    protected TaskRequest exitingWith(String runId, int attempt, int exitCode) {
        return request(job("contract", Capacity.SPOT_FIRST), runId, attempt, Capacity.SPOT_FIRST,
                Map.of("EMULATED_EXIT_CODE", Integer.toString(exitCode)));
    }

    @Override
    protected TaskRequest runningUntilStopped(String runId, int attempt) {
        return request(job("contract", Capacity.SPOT_FIRST), runId, attempt, Capacity.SPOT_FIRST,
                Map.of("EMULATED_RUN", "until-stopped"));
    }

    @Override
    protected TaskRequest showingEnvironment(String runId, int attempt, Map<String, String> environment) {
        return request(job("contract", Capacity.SPOT_FIRST), runId, attempt, Capacity.SPOT_FIRST, environment);
    }

    @Override
    protected Optional<String> environmentSeenBy(LaunchedTask task, String name) {
        var described = direct.describeTasks(r -> r.cluster(moto.cluster).tasks(task.taskId())).tasks().get(0);
        Map<String, String> env = new HashMap<>();
        described.overrides().containerOverrides().forEach(o -> o.environment().forEach(v -> env.put(v.name(), v.value())));
        return Optional.ofNullable(env.get(name));
    }
}
