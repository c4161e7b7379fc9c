package dev.skiff.orchestrator.app;

import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Hears each catalog change and names the jobs it removed, one call each, for adapters that hold
 * something per job (the Fargate launcher's task definitions). A job whose file turned invalid is not
 * removed: the catalog keeps its last valid version.
 */
public final class RemovedJobs implements Consumer<JobCatalog.Snapshot> {

    private static final Logger LOG = Logger.getLogger(RemovedJobs.class);

    private final Consumer<String> onRemoved;

    private RemovedJobs(Consumer<String> onRemoved) {
        this.onRemoved = onRemoved;
    }

    /** From now on, tells {@code onRemoved} the name of each job a catalog change removes. */
    public static void subscribe(JobCatalog catalog, Consumer<String> onRemoved) {
        catalog.onChange(new RemovedJobs(onRemoved));
    }

    /** Looks only at the jobs the change names: with 100,000 jobs, comparing every name per change cost milliseconds. */
    @Override
    public synchronized void accept(JobCatalog.Snapshot snapshot) {
        for (String job : snapshot.changed()) {
            if (!snapshot.jobs().containsKey(job)) {
                try {
                    onRemoved.accept(job);
                } catch (RuntimeException e) { // the catalog's other listeners must still hear the change
                    LOG.warnf(e, "job %s: clean-up after its removal failed", job);
                }
            }
        }
    }
}
