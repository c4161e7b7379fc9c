package dev.skiff.orchestrator.app;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.Schedule;
import dev.skiff.orchestrator.domain.Backfill;
import dev.skiff.orchestrator.domain.ConflictException;
import dev.skiff.orchestrator.domain.InvalidRequestException;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.port.Backfills;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.workflows.RunParameters;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Asks for backfills, reads their status and cancels them; {@link BackfillDriver} starts their runs. A request is
 * checked whole against the job as registered now, and every problem names its field, the value and the rule.
 */
public final class BackfillService {

    /** The most fires one backfill plans: a longer range is refused with its count, to be split. */
    public static final int MAX_FIRES = 1000;
    public static final int MAX_CONCURRENCY = 40;
    /** How far the fires of a refused range are counted for the message, so a per-second schedule costs little. */
    private static final int MAX_COUNTED = 100_000;

    /**
     * A backfill as asked for; null is "not given".
     *
     * @param from the first fire time included: a date (midnight in the schedule's zone), local date-time or instant
     * @param to   the end, excluded, in the same forms
     */
    public record Request(String from, String to, Integer schedule, Integer maxConcurrency, Boolean onlyMissing) {
    }

    /** @param created false when the same backfill (job, schedule, range) existed: it is returned as it stands */
    public record Created(BackfillStatus status, boolean created) {
    }

    private final Backfills backfills;
    private final JobCatalog catalog;
    private final BackfillProgress progress;
    private final RunEngine engine;
    private final Clock clock;
    private final Runnable onCreated;

    /** @param onCreated told of each new backfill, so its first runs start without waiting for the next tick */
    public BackfillService(Backfills backfills, JobCatalog catalog, BackfillProgress progress, RunEngine engine,
                           Clock clock, Runnable onCreated) {
        this.backfills = backfills;
        this.catalog = catalog;
        this.progress = progress;
        this.engine = engine;
        this.clock = clock;
        this.onCreated = onCreated;
    }

    /** @throws InvalidRequestException naming every field that is wrong */
    public Created create(JobSpec job, Request request) {
        Instant now = clock.instant();
        Backfill backfill = new BackfillRequestCheck(job, request, now).backfill();
        Backfills.Stored stored = backfills.create(backfill);
        if (stored.created()) {
            onCreated.run();
        }
        return new Created(status(stored.backfill()), stored.created());
    }

    /** @throws NotFoundException for an unknown id */
    public BackfillStatus status(String id) {
        return status(find(id));
    }

    /** The job's backfills, newest first, each with its status. */
    public List<BackfillStatus> ofJob(String job) {
        return backfills.ofJob(job).stream().map(this::status).toList();
    }

    public Backfill find(String id) {
        return backfills.get(id).orElseThrow(() -> new NotFoundException("no backfill with id '" + id + "'"));
    }

    /**
     * Stops starting runs for the backfill; with {@code runs}, cancels its runs still active too. Cancelling twice
     * changes nothing more.
     */
    public BackfillStatus cancel(String id, boolean runs) {
        Backfill backfill = find(id);
        if (!backfill.cancelled()) {
            backfill = backfill.cancel();
            backfills.update(backfill);
        }
        BackfillStatus status = status(backfill);
        if (runs) {
            for (BackfillStatus.FireRun run : status.runs()) {
                if (run.active()) {
                    cancelRun(run.runId(), id);
                }
            }
            status = status(backfill);
        }
        return status;
    }

    private void cancelRun(String runId, String backfillId) {
        try {
            engine.cancel(runId, "its backfill " + backfillId + " was cancelled");
        } catch (ConflictException | NotFoundException endedMeanwhile) {
            // it ended since its status was read: nothing to cancel
        }
    }

    /** The status by the schedule as the job has it now; a job or schedule gone since blocks it, saying which. */
    BackfillStatus status(Backfill backfill) {
        return scheduleOf(catalog, backfill).map(s -> progress.of(backfill, s))
                .orElseGet(() -> BackfillStatus.blocked(backfill, whyBlocked(catalog, backfill)));
    }

    private static String whyBlocked(JobCatalog catalog, Backfill backfill) {
        return catalog.find(backfill.job()).map(job -> job.triggers().schedules().size())
                .map(count -> "job " + backfill.job() + " has no schedule " + backfill.schedule() + " now (it has " + count
                        + " schedule" + (count == 1 ? "" : "s") + "): no fire starts until it has one again")
                .orElse("job " + backfill.job() + " is not registered: no fire starts until it is registered again");
    }

    static Optional<Schedule> scheduleOf(JobCatalog catalog, Backfill backfill) {
        return catalog.find(backfill.job()).map(job -> job.triggers().schedules())
                .filter(schedules -> backfill.schedule() < schedules.size())
                .map(schedules -> schedules.get(backfill.schedule()));
    }

    /** One request checked against one job: collects every problem before refusing. */
    private static final class BackfillRequestCheck {

        private final JobSpec job;
        private final Request request;
        private final Instant now;
        private final List<String> problems = new ArrayList<>();

        BackfillRequestCheck(JobSpec job, Request request, Instant now) {
            this.job = job;
            this.request = request;
            this.now = now;
        }

        Backfill backfill() {
            List<Schedule> schedules = job.triggers().schedules();
            if (schedules.isEmpty()) {
                throw new InvalidRequestException("job " + job.name() + " cannot be backfilled", List.of(
                        "schedule: job " + job.name() + " has no schedules (triggers.schedules); a backfill runs the"
                                + " fires of one of them"));
            }
            int index = request.schedule() == null ? 0 : request.schedule();
            Optional<Schedule> schedule = Optional.empty();
            if (index < 0 || index >= schedules.size()) {
                problems.add("schedule: " + index + " is not a schedule of job " + job.name() + " (it has "
                        + schedules.size() + (schedules.size() == 1 ? " schedule, index 0)" : " schedules, indexes 0 to "
                        + (schedules.size() - 1) + ")"));
            } else {
                schedule = Optional.of(schedules.get(index));
            }
            var zone = schedule.map(Schedule::timeZone).orElse(java.time.ZoneOffset.UTC);
            Optional<Instant> from = time("from", request.from(), t -> BackfillTimes.parse(t, zone));
            Optional<Instant> to = time("to", request.to(), t -> BackfillTimes.parse(t, zone));
            if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
                problems.add("to: " + request.to() + " (" + to.get() + ") must be after from " + request.from()
                        + " (" + from.get() + ")");
            }
            int maxConcurrency = request.maxConcurrency() == null ? 1 : request.maxConcurrency();
            if (maxConcurrency < 1 || maxConcurrency > MAX_CONCURRENCY) {
                problems.add("maxConcurrency: " + maxConcurrency + " is out of range: from 1 to " + MAX_CONCURRENCY);
            }
            if (Boolean.FALSE.equals(request.onlyMissing())) {
                problems.add("onlyMissing: false is not supported: a backfill starts each fire under the fire's cron run"
                        + " id, which runs once, so a fire that already ran is never run again (leave onlyMissing out,"
                        + " or true; start a manual run with POST /jobs/" + job.name() + "/runs to run one again)");
            }
            var parameters = RunParameters.resolve(job, java.util.Map.of());
            if (!parameters.ok()) {
                parameters.problems().forEach(p -> problems.add("job " + job.name() + ": " + p
                        + " (a backfill's runs, as cron fires, give no parameters)"));
            }
            if (problems.isEmpty()) {
                checkFires(schedule.orElseThrow(), index, from.orElseThrow(), to.orElseThrow());
            }
            if (!problems.isEmpty()) {
                throw new InvalidRequestException("the backfill of job " + job.name() + " cannot start", problems);
            }
            return new Backfill(Backfill.idOf(job.name(), index, from.get(), to.get()), job.name(), index, from.get(),
                    to.get(), maxConcurrency, now, false, false);
        }

        private Optional<Instant> time(String field, String text, Function<String, Optional<Instant>> parse) {
            if (text == null || text.isBlank()) {
                problems.add(field + ": required: a date (2026-11-01, midnight in the schedule's time zone) or an"
                        + " instant (2026-11-01T00:00:00Z)");
                return Optional.empty();
            }
            Optional<Instant> at = parse.apply(text);
            if (at.isEmpty()) {
                problems.add(field + ": '" + text + "' is neither a date (2026-11-01, midnight in the schedule's time"
                        + " zone) nor an instant (2026-11-01T00:00:00Z)");
            }
            return at;
        }

        private void checkFires(Schedule schedule, int index, Instant from, Instant to) {
            int fires = BackfillFires.between(schedule, from, to, now, MAX_FIRES).size();
            String which = "schedule " + index + " ('" + schedule.expression() + "' in " + schedule.timeZone().getId() + ")";
            if (fires == 0) {
                problems.add("from, to: the range " + from + " to " + to + " holds no fire of " + which
                        + " up to now (fires after the backfill is asked for are the scheduler's)");
            } else if (fires > MAX_FIRES) {
                int counted = BackfillFires.between(schedule, from, to, now, MAX_COUNTED).size();
                problems.add("from, to: the range holds " + (counted > MAX_COUNTED ? "more than " + MAX_COUNTED : counted)
                        + " fires of " + which + "; a backfill runs at most " + MAX_FIRES + ": split the range");
            }
        }
    }
}
