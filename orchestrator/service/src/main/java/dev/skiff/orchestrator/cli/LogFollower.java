package dev.skiff.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Follows {@code GET /runs/{id}/log?follow=true} (server-sent events: a {@code line} event per log line, then
 * {@code end} when the attempt ended, or {@code error} if the log source failed). A connection that drops before the
 * end is opened again with {@code Last-Event-ID}, so no line is printed twice; it gives up after a few drops in a row
 * that brought no new line.
 */
final class LogFollower {

    private static final int RECONNECTS = 5;

    private final OrchestratorConnection api;
    private final Terminal terminal;
    private final Consumer<String> print;
    private String lastId;

    LogFollower(OrchestratorConnection api, Terminal terminal, Consumer<String> print) {
        this.api = api;
        this.terminal = terminal;
        this.print = print;
    }

    /** @return the exit code: 0 once the attempt ended; a failure (exit 1) if the stream failed or kept dropping */
    int follow(String path) {
        int dropsWithoutNews = 0;
        while (true) {
            String before = lastId;
            if (read(path)) {
                return 0;
            }
            dropsWithoutNews = java.util.Objects.equals(before, lastId) ? dropsWithoutNews + 1 : 0;
            if (dropsWithoutNews > RECONNECTS) {
                throw new CommandFailure("skiff logs: the log stream of " + api.url() + path + " kept dropping"
                        + " before the attempt ended", 1);
            }
            try {
                Thread.sleep(terminal.poll().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandFailure("skiff logs: interrupted", 1);
            }
        }
    }

    /** One connection: true when the attempt ended, false when the connection dropped before that. */
    private boolean read(String path) {
        HttpRequest.Builder request = api.events(path).GET();
        if (lastId != null) {
            request.header("Last-Event-ID", lastId);
        }
        HttpResponse<Stream<String>> response = api.exchange(request.build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> body = response.body()) {
            if (response.statusCode() / 100 != 2) {
                throw new CommandFailure(api.problem(response.statusCode(), body.collect(Collectors.joining("\n"))), 1);
            }
            if (!response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
                body.forEach(print);
                terminal.err().println("skiff logs: " + api.url() + " does not stream logs (an older orchestrator):"
                        + " these are the last lines");
                return true;
            }
            var events = new ServerSentEvents();
            Iterator<String> lines = body.iterator();
            while (lines.hasNext()) {
                var event = events.read(lines.next());
                if (event.isPresent() && handle(event.get())) {
                    return true;
                }
            }
            return false;
        } catch (UncheckedIOException dropped) {
            return false;
        }
    }

    /** @return true for the last event of the stream */
    private boolean handle(ServerSentEvents.Event event) {
        switch (event.type()) {
            case "line" -> {
                print.accept(event.data());
                lastId = event.id() == null ? lastId : event.id();
                return false;
            }
            case "end" -> {
                JsonNode end = OrchestratorConnection.json(event.data());
                terminal.err().println("skiff logs: the attempt ended: " + end.path("status").asText("?")
                        + (end.hasNonNull("exitCode") ? ", exit code " + end.path("exitCode").asText() : ""));
                return true;
            }
            case "error" -> {
                JsonNode error = OrchestratorConnection.json(event.data());
                throw new CommandFailure("skiff logs: " + error.path("title").asText("the log stream failed")
                        + (error.path("detail").asText("").isEmpty() ? "" : ": " + error.path("detail").asText()), 1);
            }
            default -> {
                return false;
            }
        }
    }
}
