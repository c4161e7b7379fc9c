package dev.skiff.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ECS as its RunTask limit makes it: a proxy in front of moto that admits RunTask calls through a token
 * bucket (rate per second, burst) and answers the others as ECS does, HTTP 400 ThrottlingException, without
 * passing them on. Every other call passes through. It logs each RunTask that started a task, by startedBy.
 *
 * <p>For the latency benchmark it also keeps every call with the moment its request had arrived and the moment its
 * answer went back ({@link #calls}), and it can answer chosen calls itself at once instead of passing them on
 * ({@link #answerAtOnce}), so that a measured interval holds only the caller's own time.
 */
final class ThrottlingProxy implements AutoCloseable {

    private static final String RUN_TASK = "AmazonEC2ContainerServiceV20141113.RunTask";
    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade");
    private static final Pattern STARTED_BY = Pattern.compile("\"startedBy\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern TASK_ARN = Pattern.compile("\"taskArn\"\\s*:\\s*\"([^\"]+)\"");

    private final URI upstream;
    private final double rate;
    private final double burst;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(128);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private double tokens;
    private long last = System.nanoTime();

    final AtomicInteger throttled = new AtomicInteger();
    /** Every call, in the order their answers went back. */
    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, UnaryOperator<String>> atOnce = new ConcurrentHashMap<>();

    /**
     * One call as the proxy saw it; the times are {@link System#nanoTime()} of this JVM.
     *
     * @param target   the X-Amz-Target header (for example {@code AmazonEC2ContainerServiceV20141113.RunTask})
     * @param arrived  when the whole request had been read
     * @param answered when the answer was about to be written back
     */
    record Call(String target, String request, String response, long arrived, long answered) {
        boolean is(String operation) {
            return target != null && target.endsWith("." + operation);
        }
    }
    /** Tasks RunTask answered, by the startedBy of the call. */
    final Map<String, Set<String>> tasksByStartedBy = new ConcurrentHashMap<>();

    ThrottlingProxy(URI upstream, double ratePerSecond, int burst) throws IOException {
        // The JDK's server writes an answer's headers and body apart and, by default, leaves Nagle's algorithm on: with
        // the client's delayed ACK each answer would reach the caller some 40 ms after it was written, a delay of the
        // proxy's that the latency benchmark would charge to Skiff. Read once, when the first server is made.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.upstream = upstream;
        this.rate = ratePerSecond;
        this.burst = burst;
        this.tokens = burst;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * From now on the proxy answers calls of the operation ({@code RunTask}, {@code SendTaskSuccess}) itself, with
     * what {@code answer} makes of the request body (HTTP 200), without passing them on.
     */
    void answerAtOnce(String operation, UnaryOperator<String> answer) {
        atOnce.put(operation, answer);
    }

    private synchronized boolean admit() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            long arrived = System.nanoTime();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
            UnaryOperator<String> own = atOnce.get(operation);
            if (own != null) {
                String request = new String(body, StandardCharsets.UTF_8);
                String answer = own.apply(request);
                calls.add(new Call(target, request, answer, arrived, System.nanoTime()));
                reply(exchange, 200, answer.getBytes(StandardCharsets.UTF_8), "application/x-amz-json-1.1");
                return;
            }
            boolean runTask = RUN_TASK.equals(target);
            if (runTask && !admit()) {
                throttled.incrementAndGet();
                reply(exchange, 400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"
                        .getBytes(StandardCharsets.UTF_8), "application/x-amz-json-1.1");
                return;
            }
            var request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!RESTRICTED.contains(name.toLowerCase())) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (runTask && response.statusCode() == 200) {
                record(new String(body, StandardCharsets.UTF_8), new String(response.body(), StandardCharsets.UTF_8));
            }
            calls.add(new Call(target, new String(body, StandardCharsets.UTF_8), new String(response.body(), StandardCharsets.UTF_8),
                    arrived, System.nanoTime()));
            reply(exchange, response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse("application/x-amz-json-1.1"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void record(String call, String answer) {
        Matcher startedBy = STARTED_BY.matcher(call);
        Matcher arns = TASK_ARN.matcher(answer);
        if (startedBy.find()) {
            while (arns.find()) {
                if (!arns.group(1).contains(":task/")) {
                    continue; // a container's taskArn in moto's answer is the task definition's
                }
                tasksByStartedBy.computeIfAbsent(startedBy.group(1), k -> ConcurrentHashMap.newKeySet()).add(arns.group(1));
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] body, String contentType) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
