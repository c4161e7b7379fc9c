package dev.skiff.orchestrator.adapter.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What moto leaves out of RunTask: idempotency by {@code clientToken}. ECS answers a RunTask that repeats an earlier
 * one's client token (same cluster, same parameters, within the token's 24 hours) with the earlier call's result and
 * starts no second task: "If you retry a request that completed successfully using the same client token and the
 * same request parameters, the result of the original request is returned"
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/ECS_Idempotency.html#RunTaskIdempotency). Moto starts a
 * task for every call, so without this a test would count a second task that ECS never starts. A repeat whose
 * parameters differ is refused as ECS refuses it: a ConflictException whose {@code resourceIds} name the tasks the
 * token already started (https://docs.aws.amazon.com/AWSJavaSDK/latest/javadoc/com/amazonaws/services/ecs/model/ConflictException.html).
 *
 * <p>The first call with a token goes through to moto; a repeat waits for the first call's answer. Only a call that
 * started a task is remembered: one that failed or went unanswered leaves the token free.
 * Enabled per proxy ({@link EcsProxy#honourClientTokens()}), so that the launcher's own tests still see every call
 * reach moto unless they ask otherwise.
 */
final class RunTaskClientTokens {

    static final String RECORDER = "run-task-client-tokens";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN_TASK = EcsProxy.TARGET + "RunTask";
    /** How long a repeat waits for the first call's answer; longer than any answer of moto's takes. */
    private static final long WAIT_SECONDS = 60;

    /** By cluster and token: the first call's answer, once it came, or null when it started no task. */
    private final Map<String, CompletableFuture<String>> answers = new ConcurrentHashMap<>();
    /** By cluster and token: the first call's parameters, which a repeat must have too. */
    private final Map<String, JsonNode> calls = new ConcurrentHashMap<>();
    private volatile boolean enabled;

    void enable() {
        enabled = true;
    }

    /** Runs before any stub: lets a token's first call through, answers a repeat with the first call's answer. */
    StubRequestFilterV2 filter() {
        return new StubRequestFilterV2() {
            @Override
            public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
                Optional<String> key = keyOf(request);
                while (key.isPresent()) {
                    var mine = new CompletableFuture<String>();
                    CompletableFuture<String> first = answers.putIfAbsent(key.get(), mine);
                    if (first == null) {
                        calls.put(key.get(), parameters(request));
                        return RequestFilterAction.continueWith(request);
                    }
                    String answer = await(first);
                    if (answer != null) {
                        return RequestFilterAction.stopWith(parameters(request).equals(calls.get(key.get()))
                                ? json(200, answer) : json(400, conflict(answer)));
                    }
                    // The first call started no task and freed the token: this one is a first call again.
                }
                return RequestFilterAction.continueWith(request);
            }

            @Override
            public String getName() {
                return RECORDER + "-filter";
            }
        };
    }

    /** Runs on every answer: remembers a token's first answer if it started a task, frees the token otherwise. */
    ResponseTransformerV2 recorder() {
        return new ResponseTransformerV2() {
            @Override
            public Response transform(Response response, ServeEvent serveEvent) {
                Optional<String> key = keyOf(serveEvent.getRequest());
                CompletableFuture<String> first = key.map(answers::get).orElse(null);
                if (first == null || first.isDone()) { // not a RunTask with a token, or a repeat answered from memory
                    return response;
                }
                String body = response.getBodyAsString();
                if (response.getStatus() == 200 && startedTask(body)) {
                    first.complete(body);
                } else {
                    calls.remove(key.get());
                    answers.remove(key.get(), first);
                    first.complete(null);
                }
                return response;
            }

            @Override
            public boolean applyGlobally() {
                return true;
            }

            @Override
            public String getName() {
                return RECORDER;
            }
        };
    }

    private Optional<String> keyOf(Request request) {
        if (!enabled || !RUN_TASK.equals(request.getHeader("X-Amz-Target"))) {
            return Optional.empty();
        }
        try {
            JsonNode call = JSON.readTree(request.getBodyAsString());
            String token = call.path("clientToken").asText("");
            return token.isEmpty() ? Optional.empty() : Optional.of(call.path("cluster").asText("default") + "/" + token);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static JsonNode parameters(Request request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (IOException e) {
            throw new IllegalArgumentException("a RunTask call that is not JSON", e);
        }
    }

    /** ECS's refusal of a token used again with other parameters, naming the tasks the first call started. */
    private static String conflict(String firstAnswer) {
        try {
            var body = JSON.createObjectNode().put("__type", "ConflictException")
                    .put("message", "The specified client token is already in use with a different RunTask request.");
            var ids = body.putArray("resourceIds");
            JSON.readTree(firstAnswer).path("tasks").forEach(task -> ids.add(task.path("taskArn").asText()));
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static com.github.tomakehurst.wiremock.http.ResponseDefinition json(int status, String body) {
        return new ResponseDefinitionBuilder().withStatus(status)
                .withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body).build();
    }

    private static boolean startedTask(String body) {
        try {
            return !JSON.readTree(body).path("tasks").isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static String await(CompletableFuture<String> first) {
        try {
            return first.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a repeated RunTask waited for the first", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the first RunTask with this client token never got an answer", e);
        }
    }
}
