package dev.skiff.orchestrator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.orchestrator.app.Caller;
import dev.skiff.orchestrator.app.LogFollow;
import dev.skiff.orchestrator.app.LogFollow.Event;
import dev.skiff.orchestrator.config.SkiffConfig;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.domain.TooManyRequestsException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs the followers of logs: each is a {@link LogFollow} polled on a small shared scheduler, its events sent as
 * server-sent events, so a follower waiting for lines holds no thread. Counts them against the limits of
 * {@code skiff.logs.*}, and shows how many there are as the gauge {@code skiff_log_followers}; a follower whose
 * client went away stops at once.
 */
@ApplicationScoped
@Startup // its keys are checked as the service starts, not at the first follow
public class LogFollowers {

    private static final Logger LOG = Logger.getLogger(LogFollowers.class);
    private static final String ANYONE = "";

    private final SkiffConfig.Logs config;
    private final ObjectMapper json;
    private final ScheduledExecutorService scheduler;
    private final AtomicInteger active = new AtomicInteger();
    private final Map<String, AtomicInteger> perTeam = new ConcurrentHashMap<>();

    public LogFollowers(SkiffConfig config, MeterRegistry registry, ObjectMapper json) {
        this.config = checked(config.logs());
        this.json = json;
        AtomicInteger threads = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(this.config.threads(), task -> {
            Thread thread = new Thread(task, "skiff-log-follow-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        Gauge.builder("skiff.log.followers", active, AtomicInteger::get)
                .description("Followers of a log (GET /runs/{id}/log?follow=true) connected now").register(registry);
    }

    /** How polls are timed, from {@code skiff.logs.*}. */
    public LogFollow.Timing timing() {
        return new LogFollow.Timing(config.pollInterval(), config.idlePollInterval(), config.readRetries());
    }

    /** A place for one more follower of {@code caller}, or a 429 when the limit for all or for its team is reached. */
    public Lease admit(Caller caller) {
        String team = caller.team().orElse(ANYONE);
        AtomicInteger mine = perTeam.computeIfAbsent(team, t -> new AtomicInteger());
        if (mine.incrementAndGet() > config.maxFollowersPerTeam()) {
            mine.decrementAndGet();
            throw busy((caller.team().map(t -> "team " + t).orElse("this caller")) + " follows "
                    + config.maxFollowersPerTeam() + " logs already, the most one team may (skiff.logs.max-followers-per-team)");
        }
        if (active.incrementAndGet() > config.maxFollowers()) {
            active.decrementAndGet();
            mine.decrementAndGet();
            throw busy(config.maxFollowers() + " logs are followed already, the most this orchestrator serves at once"
                    + " (skiff.logs.max-followers)");
        }
        return new Lease(mine);
    }

    /** Followers connected now. */
    public int active() {
        return active.get();
    }

    /**
     * The follow as server-sent events: {@code first}, then what each poll finds, until the follow is done or the
     * client goes away. The lease is given back either way.
     */
    public Multi<OutboundSseEvent> stream(Lease lease, LogFollow follow, List<Event> first, Sse sse) {
        return Multi.createFrom().<OutboundSseEvent>emitter(emitter -> {
            Follower follower = new Follower(lease, follow, emitter, sse);
            emitter.onTermination(follower::stop);
            follower.send(first);
            follower.schedule(config.pollInterval());
        }, BackPressureStrategy.BUFFER);
    }

    @PreDestroy
    void close() {
        scheduler.shutdownNow();
    }

    /** One follower's poll loop: each run reads, sends, and schedules the next. */
    private final class Follower {
        private final Lease lease;
        private final LogFollow follow;
        private final MultiEmitter<? super OutboundSseEvent> emitter;
        private final Sse sse;
        private volatile boolean stopped;
        private volatile ScheduledFuture<?> next;
        private long lastSent = System.nanoTime();
        private Duration pollDelay;

        Follower(Lease lease, LogFollow follow, MultiEmitter<? super OutboundSseEvent> emitter, Sse sse) {
            this.lease = lease;
            this.follow = follow;
            this.emitter = emitter;
            this.sse = sse;
        }

        void schedule(Duration delay) {
            pollDelay = delay;
            wake(delay);
        }

        /** Wakes for the next poll, or earlier when a keep-alive falls due first. */
        private void wake(Duration untilPoll) {
            if (stopped) {
                return;
            }
            Duration untilKeepAlive = config.keepAlive().minusNanos(System.nanoTime() - lastSent);
            Duration wait = untilKeepAlive.compareTo(untilPoll) < 0 ? untilKeepAlive : untilPoll;
            long nanos = Math.max(0, wait.toNanos());
            try {
                next = scheduler.schedule(() -> run(untilPoll.minusNanos(nanos)), nanos, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                emitter.complete(); // shutting down
            }
        }

        private void run(Duration stillToPoll) {
            if (stopped) {
                return;
            }
            try {
                if (!stillToPoll.isNegative() && !stillToPoll.isZero()) { // woken for a keep-alive
                    emitter.emit(sse.newEventBuilder().comment("keep-alive").build());
                    lastSent = System.nanoTime();
                    wake(stillToPoll);
                    return;
                }
                if (emitter.requested() <= 0) { // the client reads slower than the log grows: wait for it
                    schedule(config.pollInterval());
                    return;
                }
                LogFollow.Poll poll = follow.poll();
                send(poll.events());
                if (poll.done()) {
                    emitter.complete();
                } else {
                    schedule(poll.delay());
                }
            } catch (RuntimeException e) { // never leave a follower hanging
                LOG.warn("a log follower failed", e);
                emitter.complete();
            }
        }

        void send(List<Event> events) {
            for (Event event : events) {
                emitter.emit(sse(event));
                lastSent = System.nanoTime();
            }
        }

        private OutboundSseEvent sse(Event event) {
            if (event instanceof Event.Line line) {
                // A bare CR ends a line for an EventSource: sent as a line break, it cannot cut the event short.
                return sse.newEventBuilder().name("line").id(line.id()).mediaType(MediaType.TEXT_PLAIN_TYPE)
                        .data(line.text().replace('\r', '\n')).build();
            }
            ObjectNode data = json.createObjectNode();
            String name;
            if (event instanceof Event.End end) {
                name = "end";
                data.put("status", end.status());
                end.exitCode().ifPresent(code -> data.put("exitCode", code));
            } else {
                Event.Failure failure = (Event.Failure) event;
                name = "error";
                data.put("title", failure.title());
                data.put("detail", failure.detail());
            }
            return sse.newEventBuilder().name(name).mediaType(MediaType.TEXT_PLAIN_TYPE).data(data.toString()).build();
        }

        void stop() {
            stopped = true;
            ScheduledFuture<?> pending = next;
            if (pending != null) {
                pending.cancel(false);
            }
            lease.release();
        }
    }

    /** One follower's place under the limits; given back once. */
    public final class Lease {
        private final AtomicInteger team;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(AtomicInteger team) {
            this.team = team;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                team.decrementAndGet();
                active.decrementAndGet();
            }
        }
    }

    private TooManyRequestsException busy(String why) {
        return new TooManyRequestsException(why + "; try again later", config.pollInterval().multipliedBy(5).plusSeconds(5));
    }

    private static SkiffConfig.Logs checked(SkiffConfig.Logs logs) {
        positive("skiff.logs.poll-interval", logs.pollInterval());
        positive("skiff.logs.idle-poll-interval", logs.idlePollInterval());
        positive("skiff.logs.keep-alive", logs.keepAlive());
        if (logs.idlePollInterval().compareTo(logs.pollInterval()) < 0) {
            throw new SkiffException("skiff.logs.idle-poll-interval: " + logs.idlePollInterval()
                    + " is shorter than skiff.logs.poll-interval (" + logs.pollInterval() + "); it must not be");
        }
        atLeast("skiff.logs.read-retries", logs.readRetries(), 0);
        atLeast("skiff.logs.max-followers", logs.maxFollowers(), 0);
        atLeast("skiff.logs.max-followers-per-team", logs.maxFollowersPerTeam(), 0);
        atLeast("skiff.logs.threads", logs.threads(), 1);
        return logs;
    }

    private static void positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new SkiffException(key + ": " + value + " is not a positive duration");
        }
    }

    private static void atLeast(String key, int value, int min) {
        if (value < min) {
            throw new SkiffException(key + ": " + value + " is not a whole number of at least " + min);
        }
    }
}
