package dev.skiff.orchestrator.adapter.local;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Stops a task's whole process tree: SIGTERM now, SIGKILL to whatever is left after the grace
 * period. The tree is the wrapper's descendants, snapshotted before the first signal because
 * children whose parent dies are re-parented and no longer appear as descendants; when the wrapper
 * leads its own process group, the group is signalled too, which also reaches processes that
 * detached from the tree (a double fork).
 */
final class ProcessTreeStopper {

    private static final Logger LOG = Logger.getLogger(ProcessTreeStopper.class);
    private static final long GROUP_SIGNAL_TIMEOUT_SECONDS = 5;

    private final Duration gracePeriod;
    private final boolean ownProcessGroup;
    private final ScheduledExecutorService scheduler;

    ProcessTreeStopper(Duration gracePeriod, boolean ownProcessGroup, ScheduledExecutorService scheduler) {
        this.gracePeriod = gracePeriod;
        this.ownProcessGroup = ownProcessGroup;
        this.scheduler = scheduler;
    }

    void stop(ProcessHandle leader) {
        List<ProcessHandle> tree = tree(leader, List.of());
        tree.forEach(ProcessHandle::destroy);
        signalGroup(leader, "TERM");
        try {
            scheduler.schedule(() -> kill(leader, tree), gracePeriod.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.warnf("Launcher closed: process %d got SIGTERM but will not get SIGKILL", leader.pid());
        }
    }

    private void kill(ProcessHandle leader, List<ProcessHandle> signalled) {
        List<ProcessHandle> alive = tree(leader, signalled).stream().filter(ProcessHandle::isAlive).toList();
        if (alive.isEmpty()) {
            return;
        }
        LOG.infof("Process %d did not end within %s of SIGTERM; sending SIGKILL", leader.pid(), gracePeriod);
        alive.forEach(ProcessHandle::destroyForcibly);
        signalGroup(leader, "KILL");
    }

    private static List<ProcessHandle> tree(ProcessHandle leader, List<ProcessHandle> known) {
        var tree = new ArrayList<>(known);
        Predicate<ProcessHandle> unknown = handle -> tree.stream().noneMatch(handle::equals);
        if (unknown.test(leader)) {
            tree.add(leader);
        }
        leader.descendants().filter(unknown).forEach(tree::add);
        return tree;
    }

    /**
     * Java has no call for signalling a process group, so this asks the shell's kill builtin. The
     * group id is the leader's pid, which the kernel does not hand out again while the group has
     * members, so the signal cannot reach a stranger's group. "No such process" (the group
     * already ended) is expected and not an error.
     */
    private void signalGroup(ProcessHandle leader, String signal) {
        if (!ownProcessGroup) {
            return;
        }
        var kill = new ProcessBuilder("/bin/sh", "-c", "kill -s \"$0\" -- \"-$1\" 2>/dev/null", signal,
                Long.toString(leader.pid()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        kill.environment().clear();
        try {
            if (!kill.start().waitFor(GROUP_SIGNAL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warnf("Signalling process group %d with SIG%s did not finish", leader.pid(), signal);
            }
        } catch (IOException e) {
            LOG.warnf(e, "Could not signal process group %d with SIG%s", leader.pid(), signal);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
