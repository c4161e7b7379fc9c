package dev.skiff.orchestrator.adapter.sfn;

import dev.skiff.orchestrator.port.RunEngine.RunQuery;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunIds;
import dev.skiff.workflows.RunStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;

/**
 * Runs listed from ListExecutions, newest first. Every filter applies before the limit: ListExecutions filters only by
 * one execution status, so the trigger (read from the execution's name) and the status a failed execution's run
 * shows (see {@link FailedExecutions}) are checked here, page by page, stopping as soon as {@code limit} runs match.
 *
 * <p>What a list may cost is bounded ({@link Bounds}): a filtered list reads at most {@code maxPages} pages of each
 * job's executions (of each execution status asked for), and describes at most {@code describes} failed executions
 * it did not know yet. A run beyond those bounds is not listed, and the log says so. An unfiltered list reads one
 * page of {@code limit} executions of each job, and describes the failed ones among the runs it returns.
 *
 * <p>A list across jobs holds the newest {@code limit} executions found so far, never more ({@link Newest}): keeping
 * every job's newest page until the end held {@code limit} times the number of jobs (10,000,000 executions for a
 * limit of 100 over 100,000 jobs, far past the heap). An execution older than all those kept is not looked at
 * further (no describe), and a job's next page is not read once a page held none newer.
 */
final class ExecutionListing {

    private static final Logger LOG = Logger.getLogger(ExecutionListing.class);

    /**
     * @param pageSize  ListExecutions' maxResults when the page is filtered here (1,000, the most AWS gives)
     * @param maxPages  pages read of each job and execution status in one filtered list
     * @param describes DescribeExecution calls one filtered list may make
     */
    record Bounds(int pageSize, int maxPages, int describes) {
        /** Ten pages: the newest 10,000 executions of a job; as many describes as the largest limit the API takes. */
        static final Bounds DEFAULT = new Bounds(1000, 10, 1000);
    }

    private enum Verdict { MATCH, SKIP, STOP }

    /** The DescribeExecution calls one list may still make. */
    private static final class DescribeBudget {
        private int left;

        DescribeBudget(int left) {
            this.left = left;
        }
    }

    private record Listed(String job, ExecutionListItem execution) {
    }

    /** The newest {@code limit} executions offered, over every job listed. */
    private static final class Newest {
        private final PriorityQueue<Listed> kept = new PriorityQueue<>(Comparator.comparing(l -> l.execution().startDate()));
        private final int limit;

        Newest(int limit) {
            this.limit = Math.max(limit, 1);
        }

        /** Whether an execution started at {@code startDate} would be kept: fewer than {@code limit} are, or it is newer. */
        boolean admits(Instant startDate) {
            return kept.size() < limit || startDate.isAfter(kept.peek().execution().startDate());
        }

        void offer(Listed listed) {
            kept.add(listed);
            if (kept.size() > limit) {
                kept.poll();
            }
        }

        List<Listed> newestFirst() {
            return kept.stream().sorted(Comparator.comparing((Listed l) -> l.execution().startDate()).reversed()).toList();
        }
    }

    private final SfnClient sfn;
    private final FailedExecutions failed;
    private final Bounds bounds;

    ExecutionListing(SfnClient sfn, Bounds bounds) {
        this.sfn = sfn;
        this.failed = new FailedExecutions(sfn);
        this.bounds = bounds;
    }

    /** @param machinesByJob the state machine of each job to list */
    List<Run> list(Map<String, String> machinesByJob, RunQuery query) {
        Set<ExecutionStatus> statuses = query.statuses().isEmpty() ? Set.of()
                : ExecutionRuns.executionStatuses(query.statuses());
        List<Optional<ExecutionStatus>> filters = statuses.isEmpty() ? List.of(Optional.empty())
                : statuses.stream().map(Optional::of).toList();
        var describes = new DescribeBudget(bounds.describes());
        Newest newest = new Newest(query.limit());
        machinesByJob.forEach((job, machine) -> filters.forEach(filter -> newest(job, machine, filter, query, describes, newest)));
        return newest.newestFirst().stream()
                .map(l -> ExecutionRuns.of(l.job(), l.execution(), failed.statusOf(l.execution())))
                .toList();
    }

    /**
     * Offers {@code newest} the newest {@code limit} executions of one state machine (and one execution status) that
     * match the query and that it would keep.
     */
    private void newest(String job, String machine, Optional<ExecutionStatus> status, RunQuery query,
                        DescribeBudget describes, Newest newest) {
        // ListExecutions' status filter decides alone, except for failed executions (their error decides) and triggers
        boolean filteredHere = query.trigger().isPresent() || status.filter(s -> s == ExecutionStatus.FAILED).isPresent();
        int pageSize = filteredHere ? bounds.pageSize() : Math.min(Math.max(query.limit(), 1), bounds.pageSize());
        int found = 0;
        String next = null;
        int pages = 0;
        boolean anyAdmitted;
        do {
            String token = next;
            ListExecutionsResponse page = sfn.listExecutions(r -> {
                r.stateMachineArn(machine).maxResults(pageSize).nextToken(token);
                status.ifPresent(r::statusFilter);
            });
            pages++;
            anyAdmitted = false;
            for (ExecutionListItem execution : page.executions()) {
                if (!newest.admits(execution.startDate())) {
                    continue; // older than every run kept from the jobs before: not worth a describe
                }
                anyAdmitted = true;
                Verdict verdict = verdict(execution, query, describes);
                if (verdict == Verdict.STOP) {
                    LOG.infof("listing runs of %s stopped after %d describes of failed executions (the bound of one list);"
                            + " older runs are not listed", machine, bounds.describes());
                    return;
                }
                if (verdict == Verdict.MATCH) {
                    newest.offer(new Listed(job, execution));
                    if (++found >= query.limit()) {
                        return;
                    }
                }
            }
            next = page.nextToken();
        } while (next != null && filteredHere && anyAdmitted && pages < bounds.maxPages());
        if (next != null && filteredHere && anyAdmitted) {
            LOG.infof("listing runs of %s stopped after %d pages of executions (the bound of one list) with %d of %d runs"
                    + " found; older runs are not listed", machine, pages, found, query.limit());
        }
    }

    private Verdict verdict(ExecutionListItem execution, RunQuery query, DescribeBudget describes) {
        if (query.trigger().isPresent() && !query.trigger().get().equals(RunIds.triggerOf(execution.name()))) {
            return Verdict.SKIP;
        }
        if (query.statuses().isEmpty()) {
            return Verdict.MATCH;
        }
        Optional<RunStatus> shown = failed.known(execution);
        if (shown.isEmpty()) {
            if (describes.left == 0) {
                return Verdict.STOP;
            }
            describes.left--;
            shown = Optional.of(failed.statusOf(execution));
        }
        return ExecutionRuns.shows(shown.get(), query.statuses()) ? Verdict.MATCH : Verdict.SKIP;
    }
}
