package dev.skiff.orchestrator.adapter.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What moto cannot do: run containers. Moto moves every task to STOPPED after a few DescribeTasks, with
 * exit code 0 and no stopCode; this rewrites DescribeTasks answers on their way back, as the container
 * would have behaved, going by variables in the task's environment override:
 * {@code EMULATED_EXIT_CODE=n} exits n; {@code EMULATED_RUN=until-stopped} runs until StopTask (and reports
 * having started {@code EMULATED_RAN_SECONDS} ago);
 * {@code EMULATED_STOP_CODE=SpotInterruption} is interrupted when on FARGATE_SPOT;
 * {@code EMULATED_STOP_CODE=TaskFailedToStart} with {@code EMULATED_STOPPED_REASON} fails to start.
 * A task stopped by StopTask ends UserInitiated. A task that ran has the times Fargate bills by, which moto
 * leaves out: {@code pullStartedAt} and {@code startedAt} {@code EMULATED_RAN_SECONDS} (default 1) before
 * {@code stoppedAt}, in whole seconds.
 */
final class ContainerEmulator implements ResponseTransformerV2 {

    static final String NAME = "container-emulator";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public Response transform(Response response, ServeEvent serveEvent) {
        String target = serveEvent.getRequest().getHeader("X-Amz-Target");
        if (target == null || !target.endsWith(".DescribeTasks") || response.getStatus() != 200) {
            return response;
        }
        try {
            JsonNode body = JSON.readTree(response.getBodyAsString());
            body.path("tasks").forEach(task -> emulate((ObjectNode) task));
            return withBody(response, JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void emulate(ObjectNode task) {
        Map<String, String> env = environment(task);
        boolean stopped = "STOPPED".equals(task.path("lastStatus").asText());
        boolean stopAsked = "STOPPED".equals(task.path("desiredStatus").asText());
        String stopCode = env.getOrDefault("EMULATED_STOP_CODE", "");
        if (stopped && stopAsked) {
            end(task, "UserInitiated", task.path("stoppedReason").asText(), 143);
            ran(task, env);
        } else if ("until-stopped".equals(env.get("EMULATED_RUN"))) {
            task.put("lastStatus", "RUNNING");
            // Started EMULATED_RAN_SECONDS ago (default 1), counted from its creation in this JVM's clock.
            task.put("startedAt", Instant.now().getEpochSecond() - Long.parseLong(env.getOrDefault("EMULATED_RAN_SECONDS", "1")));
        } else if (!stopped) {
            return;
        } else if ("SpotInterruption".equals(stopCode) && "FARGATE_SPOT".equals(task.path("capacityProviderName").asText())) {
            end(task, stopCode, "Your Spot Task was interrupted.", null);
            ran(task, env);
        } else if ("TaskFailedToStart".equals(stopCode)) {
            end(task, stopCode, env.getOrDefault("EMULATED_STOPPED_REASON", ""), null);
            task.put("stoppedAt", Instant.now().getEpochSecond() + 1); // it never pulled its image
        } else {
            end(task, "EssentialContainerExited", "Essential container in task exited",
                    Integer.parseInt(env.getOrDefault("EMULATED_EXIT_CODE", "0")));
            ran(task, env);
        }
    }

    private static void ran(ObjectNode task, Map<String, String> env) {
        long stoppedAt = Instant.now().getEpochSecond() + 1;
        long pulledAt = stoppedAt - Long.parseLong(env.getOrDefault("EMULATED_RAN_SECONDS", "1"));
        task.put("pullStartedAt", pulledAt);
        task.put("startedAt", pulledAt);
        task.put("stoppedAt", stoppedAt);
    }

    private static void end(ObjectNode task, String stopCode, String reason, Integer exitCode) {
        task.put("stopCode", stopCode);
        task.put("stoppedReason", reason);
        for (JsonNode container : task.withArray("containers")) {
            if (exitCode == null) {
                ((ObjectNode) container).remove("exitCode");
            } else {
                ((ObjectNode) container).put("exitCode", exitCode);
            }
        }
    }

    private static Map<String, String> environment(ObjectNode task) {
        var env = new HashMap<String, String>();
        for (JsonNode override : task.path("overrides").path("containerOverrides")) {
            for (JsonNode variable : override.path("environment")) {
                env.put(variable.path("name").asText(), variable.path("value").asText());
            }
        }
        return env;
    }

    private static Response withBody(Response response, byte[] body) {
        var headers = new HttpHeaders(response.getHeaders().all().stream()
                .filter(h -> !h.keyEquals("Content-Length")).toArray(HttpHeader[]::new));
        return Response.Builder.like(response).but().headers(headers).body(body).build();
    }

    /** Replaces any answer with a 500, after the call has reached moto: the caller never learns what happened. */
    static final class LostAnswer implements ResponseTransformerV2 {

        static final String NAME = "lost-answer";

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public Response transform(Response response, ServeEvent serveEvent) {
            var headers = new HttpHeaders(new HttpHeader("Content-Type", "application/x-amz-json-1.1"));
            return Response.Builder.like(response).but().status(500).headers(headers)
                    .body("{\"__type\":\"ServerException\",\"message\":\"emulated: the answer was lost\"}").build();
        }
    }
}
