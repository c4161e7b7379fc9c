package dev.skiff.orchestrator.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays {@code GET /runs/{id}/log?follow=true} as contract 1 of issue 15 describes it (server-sent events), until the
 * service's own stream is on main: run {@code dropped} sends two lines and a keep-alive, then drops the connection
 * before its end; asked again after {@code Last-Event-ID: 2}, it sends the third line and the end. Run {@code broken}
 * sends a line, then an error event. Run {@code plain} answers as an orchestrator without live logs: its last lines
 * as text. Any other run is a 404 problem, decided before the stream starts.
 */
final class LogStreamStandIn implements AutoCloseable {

    /** One request: its query and the Last-Event-ID it resumed after (null on the first). */
    record Asked(String query, String lastEventId, String accept) {
    }

    private final HttpServer server;
    private final List<Asked> asked = new CopyOnWriteArrayList<>();

    LogStreamStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/runs/", this::answer);
        server.start();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
        asked.add(new Asked(exchange.getRequestURI().getRawQuery(), lastEventId,
                exchange.getRequestHeaders().getFirst("Accept")));
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/runs/dropped/log")) {
            stream(exchange, lastEventId == null
                    ? "event: line\nid: 1\ndata: first line\n\nevent: line\nid: 2\ndata: second line\n\n: keep-alive\n\n"
                    : "event: line\nid: 3\ndata: third line\n\nevent: end\ndata: {\"status\":\"SUCCEEDED\",\"exitCode\":0}\n\n");
        } else if (path.equals("/runs/plain/log")) {
            byte[] body = "last line\n".getBytes(StandardCharsets.UTF_8); // an orchestrator without live logs
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        } else if (path.equals("/runs/broken/log")) {
            stream(exchange, "event: line\nid: 7\ndata: working\n\nevent: error\n"
                    + "data: {\"title\":\"Log source failed\",\"detail\":\"CloudWatch Logs throttled the read\"}\n\n");
        } else {
            byte[] body = "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"no run named 'x'\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }
    }

    /** Writes the events and closes: with no end event, that is a dropped connection. */
    private static void stream(HttpExchange exchange, String events) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(events.getBytes(StandardCharsets.UTF_8));
            body.flush();
        }
    }

    List<Asked> asked() {
        return asked;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
