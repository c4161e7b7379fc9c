package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.adapter.ecs.FargateTaskLauncher;
import dev.skiff.orchestrator.adapter.embedded.EmbeddedRunEngine;
import dev.skiff.orchestrator.adapter.embedded.H2RunStore;
import dev.skiff.orchestrator.adapter.local.DirectoryTaskRecords;
import dev.skiff.orchestrator.adapter.local.ProcessTaskLauncher;
import dev.skiff.orchestrator.app.EventIntake;
import dev.skiff.orchestrator.app.IntakeRunEventSink;
import dev.skiff.orchestrator.app.OutboxDeadlines;
import dev.skiff.orchestrator.app.RunEventListener;
import dev.skiff.orchestrator.app.RunEventRelay;
import dev.skiff.orchestrator.app.RunEventsWritten;
import dev.skiff.orchestrator.app.TickLoop;
import dev.skiff.orchestrator.port.Backfills;
import dev.skiff.orchestrator.port.MissedDeadlines;
import dev.skiff.orchestrator.port.PausedSchedules;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.TaskLauncher;
import dev.skiff.orchestrator.port.TaskRecords;
import dev.skiff.orchestrator.port.Watermarks;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The embedded default: runs in the H2 database under the data directory (pauses beside them), tasks as local
 * processes or on Fargate, the engine's own loop stepping them. Needs no AWS unless the launcher is Fargate.
 */
@Singleton
@Typed(EmbeddedMode.class) // reached only through ModeProducers, which picks one
final class EmbeddedMode implements SkiffMode {

    private final ModeChoice choice;
    private final SkiffConfig config;
    private final Instance<EmbeddedRunEngine> engine;
    private final Instance<H2RunStore> store;
    private final Instance<ProcessTaskLauncher> process;
    private final Instance<FargateTaskLauncher> fargate;
    private final Instance<FargateConfig> fargateConfig;
    private final Clock clock;
    private final Instance<EventIntake> intake;
    private final RunEventsWritten runEvents;
    private final Instance<RunEventListener> eventListeners;
    private TickLoop engineLoop;
    private TickLoop eventLoop;
    private ExecutorService eventWorkers;

    EmbeddedMode(ModeChoice choice, SkiffConfig config, Instance<EmbeddedRunEngine> engine, Instance<H2RunStore> store,
                 Instance<ProcessTaskLauncher> process, Instance<FargateTaskLauncher> fargate,
                 Instance<FargateConfig> fargateConfig, Clock clock, Instance<EventIntake> intake,
                 RunEventsWritten runEvents, Instance<RunEventListener> eventListeners) {
        this.intake = intake;
        this.runEvents = runEvents;
        this.eventListeners = eventListeners;
        this.choice = choice;
        this.config = config;
        this.engine = engine;
        this.store = store;
        this.process = process;
        this.fargate = fargate;
        this.fargateConfig = fargateConfig;
        this.clock = clock;
    }

    @Override
    public ModeChoice choice() {
        return choice;
    }

    @Override
    public List<String> configProblems() {
        return fargateLauncher() ? problems(fargateConfig.get(), ConfigProvider.getConfig()) : List.of();
    }

    /** What the Fargate launcher needs and lacks; the process launcher needs nothing. */
    static List<String> problems(FargateConfig fargate, Config keys) {
        return new ConfigProblems().check(() -> AdapterProducers.checkFargate(fargate, keys)).list();
    }

    @Override
    public RunEngine engine() {
        return engine.get();
    }

    @Override
    public boolean runsPipelines() {
        return RegistryProducers.runsPipelines(config, choice);
    }

    @Override
    public TaskLauncher launcher() {
        return fargateLauncher() ? fargate.get() : process.get();
    }

    @Override
    public PausedSchedules pausedSchedules() {
        return store.get().pausedSchedules();
    }

    @Override
    public Backfills backfills() {
        return store.get().backfills();
    }

    /** Nothing of the embedded engine keeps task records today; where they would go, beside its database. */
    @Override
    public TaskRecords taskRecords() {
        return new DirectoryTaskRecords(config.dataDir());
    }

    /** Written to the run-event outbox and published by the relay, as the runs' own events are. */
    @Override
    public Optional<MissedDeadlines> missedDeadlines() {
        return Optional.of(new OutboxDeadlines(store.get().runEvents(), runEvents.signal()));
    }

    @Override
    public Watermarks watermarks() {
        return store.get().watermarks();
    }

    @Override
    public void start() {
        engine.get().recover();
        engineLoop = new TickLoop("skiff-engine", engine.get(), clock).start();
        // Run events go through Skiff's own intake, so jobs that follow other jobs work on a laptop as on AWS.
        eventWorkers = Executors.newFixedThreadPool(EVENT_WORKERS, runnable -> {
            Thread thread = new Thread(runnable, "skiff-run-event-listener");
            thread.setDaemon(true);
            return thread;
        });
        var relay = new RunEventRelay(store.get().runEvents(), new IntakeRunEventSink(intake.get()),
                eventListeners.stream().toList(), eventWorkers, runEvents.signal());
        eventLoop = new TickLoop("skiff-run-events", relay, clock).start();
    }

    /** Threads that hand published run events to their listeners (notifications, which may wait on a slow receiver). */
    private static final int EVENT_WORKERS = 4;

    @Override
    public void stop() {
        if (eventLoop != null) {
            eventLoop.close();
            eventWorkers.shutdown();
        }
        if (engineLoop != null) {
            engineLoop.close();
            engine.get().close(); // lets launch calls under way be recorded, so the next start does not launch them again
        }
    }

    private boolean fargateLauncher() {
        return choice.launcher() == ModeChoice.Launcher.FARGATE;
    }
}
