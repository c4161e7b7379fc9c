package dev.skiff.orchestrator.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A follower as a browser's EventSource is one: java.net.http reading text/event-stream, parsed into events on a
 * thread of its own, so a test waits for each with a timeout and never hangs.
 */
public final class SseClient implements AutoCloseable {

    /** One event; {@code name} is {@code comment} for a comment line (a keep-alive), {@code closed} at the end. */
    public record Event(String name, String id, String data) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        if (response.statusCode() == 200) {
            Thread reader = new Thread(this::read, "sse-test-reader");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** GET {@code uri} asking for events, with the headers given (Last-Event-ID, Authorization). */
    public static SseClient open(URI uri, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        headers.forEach(request::header);
        return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    public HttpResponse<InputStream> response() {
        return response;
    }

    /** The body of an answer that is not a stream (a problem). */
    public String body() throws IOException {
        try (InputStream in = response.body()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The next event that is not a comment, waiting at most {@code within}. */
    public Event next(Duration within) throws InterruptedException {
        long giveUp = System.nanoTime() + within.toNanos();
        while (true) {
            Event event = events.poll(Math.max(0, giveUp - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no event within " + within);
            }
            if (!event.name().equals("comment")) {
                return event;
            }
        }
    }

    /** The next event, comments included. */
    public Event nextAny(Duration within) throws InterruptedException {
        Event event = events.poll(within.toNanos(), TimeUnit.NANOSECONDS);
        if (event == null) {
            throw new AssertionError("no event within " + within);
        }
        return event;
    }

    /** Every event up to and including the first that is not a {@code line}. */
    public List<Event> untilEnd(Duration within) throws InterruptedException {
        long giveUp = System.nanoTime() + within.toNanos();
        List<Event> all = new ArrayList<>();
        while (true) {
            Event event = next(Duration.ofNanos(Math.max(1, giveUp - System.nanoTime())));
            all.add(event);
            if (!event.name().equals("line")) {
                return all;
            }
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = "message";
            String id = null;
            StringBuilder data = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(name, id, data.toString()));
                    }
                    name = "message";
                    id = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    events.add(new Event("comment", null, line.substring(1).trim()));
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "event" -> name = value;
                        case "id" -> id = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> { }
                    }
                }
            }
        } catch (IOException e) {
            // closed by the test, or by the server
        }
        events.add(new Event("closed", null, null));
    }

    /** Goes away as a client does: closes the connection. */
    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
