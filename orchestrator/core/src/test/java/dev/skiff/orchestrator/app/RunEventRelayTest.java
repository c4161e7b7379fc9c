package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.orchestrator.port.RunEventOutbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay publishes the outbox in order, marks what the sink took, and marks an event done only once every listener
 * returned: a sink that refuses keeps the event (tried again after a pause), a listener that throws hears it again.
 */
class RunEventRelayTest {

    private static final Instant T0 = Instant.parse("2026-12-05T23:00:00Z");

    private final Outbox outbox = new Outbox();
    private final List<String> putOnBus = new CopyOnWriteArrayList<>();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final ExecutorService workers = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    @Test
    void shouldPutEveryEventInOrderAndMarkItDoneOnceTheListenersHeardIt() throws Exception {
        outbox.add("a/STARTED", event("a/STARTED"));
        outbox.add("a/SUCCEEDED", event("a/SUCCEEDED"));
        var relay = new RunEventRelay(outbox, e -> putOnBus.add(id(e)), List.of(e -> heard.add(id(e))), workers, new WakeSignal());

        relay.tick(T0);
        drainWorkers();
        relay.tick(T0.plusMillis(1));

        assertThat(putOnBus).containsExactly("a/STARTED", "a/SUCCEEDED");
        assertThat(heard).containsExactly("a/STARTED", "a/SUCCEEDED");
        assertThat(outbox.pending(10)).isEmpty();
        // and nothing is put twice by a later tick
        relay.tick(T0.plusSeconds(10));
        assertThat(putOnBus).hasSize(2);
    }

    @Test
    void shouldKeepAnEventTheSinkRefusedAndPutItAgainAfterThePause() throws Exception {
        outbox.add("b/FAILED", event("b/FAILED"));
        AtomicInteger tries = new AtomicInteger();
        var relay = new RunEventRelay(outbox, e -> {
            if (tries.incrementAndGet() == 1) {
                throw new IllegalStateException("bus throttled");
            }
            putOnBus.add(id(e));
        }, List.of(), workers, new WakeSignal());

        relay.tick(T0);
        assertThat(putOnBus).isEmpty();
        assertThat(outbox.pending(10)).hasSize(1);
        relay.tick(T0.plusSeconds(1)); // within the pause: not tried
        assertThat(tries).hasValue(1);

        relay.tick(T0.plus(RunEventRelay.RETRY_AFTER));

        assertThat(putOnBus).containsExactly("b/FAILED");
        assertThat(outbox.pending(10)).as("no listeners: done once put").isEmpty();
    }

    @Test
    void shouldHandAnEventToItsListenersAgainWhenOneThrewWithoutPuttingItTwice() throws Exception {
        outbox.add("c/FAILED", event("c/FAILED"));
        AtomicInteger calls = new AtomicInteger();
        var relay = new RunEventRelay(outbox, e -> putOnBus.add(id(e)), List.of(e -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("listener bug");
            }
            heard.add(id(e));
        }), workers, new WakeSignal());

        relay.tick(T0);
        drainWorkers();
        relay.tick(T0.plusMillis(1));
        drainWorkers();
        relay.tick(T0.plusMillis(2));

        assertThat(putOnBus).containsExactly("c/FAILED");
        assertThat(heard).containsExactly("c/FAILED");
        assertThat(outbox.pending(10)).isEmpty();
    }

    private void drainWorkers() throws Exception {
        workers.submit(() -> { }).get(5, TimeUnit.SECONDS);
    }

    private static ObjectNode event(String id) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.putObject("detail").put("skiffEventId", id);
        return event;
    }

    private static String id(ObjectNode event) {
        return event.path("detail").path("skiffEventId").asText();
    }

    /** The outbox's contract, in memory. */
    private static final class Outbox implements RunEventOutbox {
        private final Map<String, ObjectNode> events = new LinkedHashMap<>();
        private final Map<String, Boolean> put = new LinkedHashMap<>();
        private final List<String> done = new ArrayList<>();

        @Override
        public synchronized List<Pending> pending(int limit) {
            return events.entrySet().stream().filter(e -> !done.contains(e.getKey())).limit(limit)
                    .map(e -> new Pending(e.getKey(), e.getValue(), put.getOrDefault(e.getKey(), false))).toList();
        }

        @Override
        public synchronized void put(Collection<String> eventIds) {
            eventIds.forEach(id -> put.put(id, true));
        }

        @Override
        public synchronized void done(Collection<String> eventIds) {
            done.addAll(eventIds);
        }

        @Override
        public synchronized boolean has(String eventId) {
            return events.containsKey(eventId);
        }

        @Override
        public synchronized boolean add(String eventId, ObjectNode event) {
            return events.putIfAbsent(eventId, event) == null;
        }
    }
}
