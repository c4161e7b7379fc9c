package dev.skiff.orchestrator.adapter.local;

import dev.skiff.orchestrator.domain.TaskEnvironment;
import dev.skiff.orchestrator.port.LaunchFailedException;
import dev.skiff.orchestrator.port.LaunchedTask;
import dev.skiff.orchestrator.port.TaskEnd;
import dev.skiff.orchestrator.port.TaskLauncher;
import dev.skiff.orchestrator.port.TaskListener;
import dev.skiff.orchestrator.port.TaskReport;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.StepOutcome;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs each attempt as a local child process under {@link WrappedCommand}'s wrapper, with its
 * output appended by the OS to {@code <logs>/<runId>/attempt-<n>.log} and its exit status written
 * to {@code attempt-<n>.exit} next to it, so both survive an orchestrator crash ({@link AttemptFiles}: a pipeline
 * unit's under its own directory). {@code SKIFF_OUTPUT} names a file in the attempt's scratch directory; a JSON
 * document the task wrote there comes back in its {@code TaskEnd}. Ends are
 * observed through {@link ProcessHandle#onExit()} and reported on this launcher's own threads.
 */
public final class ProcessTaskLauncher implements TaskLauncher, AutoCloseable {

    static final String RAN_ON = "local";

    /**
     * Start instants are read from the OS both at launch and at reattach (see LocalTaskId), so they agree closely;
     * the tolerance only has to be far below the time the OS takes to hand the same pid out again.
     */
    static final Duration START_TIME_TOLERANCE = Duration.ofSeconds(2);

    private static final Logger LOG = Logger.getLogger(ProcessTaskLauncher.class);
    private static final File DEV_NULL = new File("/dev/null");

    private final ProcessLauncherOptions options;
    private final Map<String, String> orchestratorEnvironment;
    private final Optional<Path> setsid;
    private final ExecutorService reporter = Executors.newCachedThreadPool(daemonThreads("skiff-process-report"));
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(daemonThreads("skiff-process-stop"));
    private final ProcessTreeStopper stopper;
    /** Attempts whose end this launcher will report; guards against two reports for one attempt. */
    private final Set<String> watched = ConcurrentHashMap.newKeySet();

    public ProcessTaskLauncher(ProcessLauncherOptions options) {
        this(options, System.getenv());
    }

    ProcessTaskLauncher(ProcessLauncherOptions options, Map<String, String> orchestratorEnvironment) {
        this.options = options;
        this.orchestratorEnvironment = Map.copyOf(orchestratorEnvironment);
        this.setsid = WrappedCommand.locate("setsid", orchestratorEnvironment.get("PATH"));
        this.stopper = new ProcessTreeStopper(options.stopGracePeriod(), setsid.isPresent(), scheduler);
    }

    @Override
    public LaunchedTask launch(TaskRequest request, TaskListener listener) {
        AttemptFiles files = AttemptFiles.of(options, request);
        Optional<LaunchedTask> earlier = StartedMarker.read(files);
        if (earlier.isEmpty() && StartedMarker.launching(files)) {
            earlier = startedUnnamed(files);
        }
        if (earlier.isPresent()) {
            // An orchestrator killed after starting the process but before recording the launch: the job runs once.
            LOG.infof("Attempt %s was started as process %s before the orchestrator restarted; taking it over instead of"
                    + " starting it again", files.key(), earlier.get().taskId());
            reattach(request, earlier.get(), listener);
            return earlier.get();
        }
        var argv = WrappedCommand.argv(setsid, files.exit(), request.commandLine());
        if (!watched.add(files.key())) {
            throw new IllegalStateException("attempt " + files.key() + " is already running");
        }
        Process process;
        try {
            files.prepare();
            markLaunching(files);
            var builder = new ProcessBuilder(argv)
                    .directory(files.scratch().toFile())
                    // No pipes to the orchestrator: a job writing to a pipe whose reader died would get SIGPIPE.
                    .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(files.log().toFile()))
                    .redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(ChildEnvironment.of(orchestratorEnvironment, request.environment()));
            if (request.job().isPipeline()) {
                // Only a pipeline's steps have an output another step can read; a one-step job's task sees what it always did.
                builder.environment().put(TaskEnvironment.OUTPUT, files.output().toString());
            }
            process = builder.start();
        } catch (IOException e) {
            StartedMarker.remove(files);
            watched.remove(files.key());
            // The machine, not the job, is at fault (no sh, a full disk, too many processes): retrying may help.
            var outcome = new StepOutcome.StartFailed("could not start a local process: " + e.getMessage(), true);
            throw new LaunchFailedException(outcome, "Could not start attempt " + files.key() + ": " + e.getMessage(), e);
        }
        // The clock, not the OS start time: the engine measures deadlines and start latency on it, and
        // the OS figure (jiffies since boot) can sit seconds away from it. The OS time goes into the
        // task id instead, for the pid-reuse check after a restart.
        Instant startedAt = options.clock().instant();
        LOG.infof("Started attempt %s as process %d, logging to %s", files.key(), process.pid(), files.log());
        String command = request.commandLine().get(0);
        LaunchedTask task = new LaunchedTask(LocalTaskId.of(process.toHandle()).format(), RAN_ON, startedAt, files.log().toString());
        try {
            StartedMarker.write(files, task);
        } catch (IOException e) {
            // The job runs all the same; only a crash before the engine records the launch could now start it twice.
            LOG.warnf("Could not mark attempt %s as started: %s", files.key(), e.getMessage());
        }
        process.onExit().thenAcceptAsync(ended -> report(request, task, files, listener, outcomeOfChild(files, command, ended),
                options.clock().instant()), reporter);
        return task;
    }

    private static void markLaunching(AttemptFiles files) {
        try {
            StartedMarker.writeLaunching(files);
        } catch (IOException e) {
            // The job runs all the same; only a crash before the engine records the launch could now start it twice.
            LOG.warnf("Could not mark attempt %s as launching: %s", files.key(), e.getMessage());
        }
    }

    /**
     * The process of an attempt whose launch was killed between starting it and naming it in the marker: found by its
     * command line, which holds the attempt's exit file. When none runs but the exit file is there, the process ran
     * to its end while the orchestrator was down: a task naming no live process, so that {@link #reattach} reports that
     * end. When neither, the process never started (or was killed before it could write its end): launch it.
     */
    private Optional<LaunchedTask> startedUnnamed(AttemptFiles files) {
        String exitFile = files.exit().toString();
        Optional<ProcessHandle> running = ProcessHandle.allProcesses()
                .filter(handle -> handle.info().arguments().map(args -> List.of(args).contains(exitFile)).orElse(false))
                .findFirst();
        if (running.isPresent()) {
            LOG.infof("Attempt %s was being started as process %d when the orchestrator stopped; taking it over",
                    files.key(), running.get().pid());
            return Optional.of(new LaunchedTask(LocalTaskId.of(running.get()).format(), RAN_ON,
                    running.get().info().startInstant().orElseGet(options.clock()::instant), files.log().toString()));
        }
        if (Files.exists(files.exit())) {
            LOG.infof("Attempt %s was started when the orchestrator stopped and has ended since", files.key());
            Instant endedAt = ExitFile.writtenAt(files.exit()).orElseGet(options.clock()::instant);
            return Optional.of(new LaunchedTask(new LocalTaskId(0, Optional.empty()).format(), RAN_ON, endedAt,
                    files.log().toString()));
        }
        LOG.infof("Attempt %s was being launched when the orchestrator stopped, and its process never ran; launching it",
                files.key());
        return Optional.empty();
    }

    @Override
    public void reattach(TaskRequest request, LaunchedTask task, TaskListener listener) {
        AttemptFiles files = AttemptFiles.of(options, request);
        if (!watched.add(files.key())) {
            LOG.debugf("Attempt %s is already watched; its end is reported once", files.key());
            return;
        }
        String command = request.commandLine().isEmpty() ? "" : request.commandLine().get(0);
        Optional<ProcessHandle> running = ours(task);
        if (running.isPresent()) {
            LOG.infof("Reattached to attempt %s, process %s", files.key(), task.taskId());
            running.get().onExit().thenAcceptAsync(ended -> report(request, task, files, listener,
                    ExitFile.read(files.exit(), command).orElseGet(() -> new StepOutcome.Lost(
                            "process ended without leaving an exit status; it was probably killed")),
                    options.clock().instant()), reporter);
            return;
        }
        // Read only now that the process is known to be gone, so an exit file written meanwhile is not missed.
        Optional<StepOutcome> recorded = ExitFile.read(files.exit(), command);
        StepOutcome outcome = recorded.orElseGet(() -> new StepOutcome.Lost(
                "process ended while the orchestrator was down and left no exit status"));
        Instant endedAt = recorded.flatMap(ignored -> ExitFile.writtenAt(files.exit())).orElseGet(options.clock()::instant);
        reporter.execute(() -> report(request, task, files, listener, outcome, endedAt));
    }

    @Override
    public void stop(LaunchedTask task, String reason) {
        Optional<ProcessHandle> running = ours(task);
        if (running.isEmpty()) {
            LOG.debugf("Process %s already ended; nothing to stop (%s)", task.taskId(), reason);
            return;
        }
        LOG.infof("Stopping process %s: %s", task.taskId(), reason);
        stopper.stop(running.get());
    }

    /** Stops watching; attempts still running keep running and can be reattached by the next launcher. */
    @Override
    public void close() {
        reporter.shutdown();
        scheduler.shutdown();
    }

    private void report(TaskRequest request, LaunchedTask task, AttemptFiles files, TaskListener listener,
                        StepOutcome outcome, Instant endedAt) {
        // Read before the key is freed: a relaunch of the same attempt starts by deleting the file.
        OutputFile.Read output = OutputFile.read(files.output());
        if (outcome instanceof StepOutcome.Succeeded && output instanceof OutputFile.Bad bad) {
            outcome = new StepOutcome.BadOutput(bad.reason());
        }
        LOG.infof("Attempt %s ended: %s", files.key(), outcome);
        // Free the key and the marker first: the listener may decide to launch the same attempt again at once.
        StartedMarker.remove(files);
        watched.remove(files.key());
        try {
            // A local process has no price.
            TaskReport report = new TaskReport(task.taskId(), RAN_ON, Optional.of(task.startedAt()), Optional.of(endedAt),
                    Optional.empty());
            listener.taskEnded(new TaskEnd(request.runId(), request.job().name(), request.step(), request.attempt(),
                    outcome, endedAt, report, request.environment(), OutputFile.json(output)));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Listener failed on the end of attempt %s", files.key());
        }
    }

    /** A child of this JVM: when the wrapper left no file, its exit value says which signal killed it (128 + n). */
    private static StepOutcome outcomeOfChild(AttemptFiles files, String command, Process ended) {
        return ExitFile.read(files.exit(), command).orElseGet(() -> ExitFile.ofExitCode(ended.exitValue()));
    }

    /** The task's process, if it still runs and is the one launched (its pid may have been reused since). */
    private static Optional<ProcessHandle> ours(LaunchedTask task) {
        Optional<LocalTaskId> id = LocalTaskId.parse(task.taskId());
        if (id.isEmpty()) {
            LOG.warnf("Task id %s is not a process id; it was not launched by the process launcher", task.taskId());
            return Optional.empty();
        }
        return ProcessHandle.of(id.get().pid()).filter(ProcessHandle::isAlive)
                .filter(handle -> startedAsRecorded(handle, id.get()));
    }

    private static boolean startedAsRecorded(ProcessHandle handle, LocalTaskId id) {
        Optional<Instant> started = handle.info().startInstant();
        if (started.isEmpty() || id.osStart().isEmpty()) {
            // Without a start time the pid cannot be checked; trusting it beats declaring a running job lost.
            return true;
        }
        boolean same = Duration.between(started.get(), id.osStart().get()).abs().compareTo(START_TIME_TOLERANCE) <= 0;
        if (!same) {
            LOG.infof("Process %d started at %s, not at %s: its pid was reused", handle.pid(), started.get(),
                    id.osStart().get());
        }
        return same;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        var count = new AtomicInteger();
        return runnable -> {
            var thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
