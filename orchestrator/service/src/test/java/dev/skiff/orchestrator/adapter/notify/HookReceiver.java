package dev.skiff.orchestrator.adapter.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on loopback, as a chat or an alerting service would run one: it records each request (headers
 * and body) and answers with the scripted statuses in turn, then with the last one.
 */
public final class HookReceiver implements AutoCloseable {

    /** One request as received. */
    public record Received(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Integer> statuses;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<Duration> delays = new ConcurrentLinkedQueue<>();
    private final ExecutorService handlers = Executors.newCachedThreadPool();

    private HookReceiver(List<Integer> statuses) {
        this.statuses = List.copyOf(statuses);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    Map.copyOf(exchange.getRequestHeaders()), new String(body, StandardCharsets.UTF_8)));
            Duration delay = delays.poll();
            if (delay != null) {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int call = calls.getAndIncrement();
            int status = statuses.get(Math.min(call, statuses.size() - 1));
            if (status / 100 == 3) {
                exchange.getResponseHeaders().add("location", url("/elsewhere"));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.setExecutor(handlers);
        server.start();
    }

    /** A receiver answering these statuses in turn, then the last one for ever. */
    public static HookReceiver answering(Integer... statuses) {
        return new HookReceiver(List.of(statuses));
    }

    /** The next request waits this long before it is answered. */
    public HookReceiver delayingNext(Duration delay) {
        delays.add(delay);
        return this;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Waits until at least {@code count} requests came, then a little more for any that should not come. */
    public List<Received> await(int count, Duration within) throws InterruptedException {
        Instant giveUp = Instant.now().plus(within);
        while (received.size() < count && Instant.now().isBefore(giveUp)) {
            Thread.sleep(20);
        }
        Thread.sleep(300);
        return received();
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
