package dev.skiff.orchestrator.adapter.ecs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;

/**
 * WireMock in the test JVM, between the SDK and moto: it passes every call through (rewriting task
 * documents as {@link ContainerEmulator} says), records them, and answers chosen RunTask calls with the
 * faults moto cannot produce. ECS and CloudWatch Logs speak AWS JSON 1.1, so calls are told apart by X-Amz-Target.
 */
public final class EcsProxy implements AutoCloseable {

    static final String TARGET = "AmazonEC2ContainerServiceV20141113.";
    static final String LOGS_TARGET = "Logs_20140328.";
    static final String SPOT_CAPACITY_FAILURE = "Capacity is unavailable at this time. Please try again later or in a different availability zone";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FAULT = 1;
    private static final int PASS_THROUGH = 10;

    private final WireMockServer server;
    private final String moto;
    private final RunTaskClientTokens clientTokens = new RunTaskClientTokens();

    /** A proxy that emulates containers (see {@link ContainerEmulator}) and injects faults on request. */
    public EcsProxy(URI moto) {
        this(moto, true);
    }

    /**
     * A proxy that changes nothing moto says except what ECS does differently: a RunTask that repeats an earlier
     * one's client token starts no second task (see {@link RunTaskClientTokens}). For a test of the whole service,
     * which plays ECS's task ends itself and must count the tasks ECS would have started.
     */
    public static EcsProxy likeEcs(URI moto) {
        EcsProxy proxy = new EcsProxy(moto, false);
        proxy.honourClientTokens();
        return proxy;
    }

    private EcsProxy(URI moto, boolean emulateContainers) {
        this.moto = moto.toString();
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .extensions(new ContainerEmulator(), new ContainerEmulator.LostAnswer(), clientTokens.filter(),
                        clientTokens.recorder()));
        server.start();
        var passThrough = aResponse().proxiedFrom(this.moto);
        server.stubFor(any(anyUrl()).atPriority(PASS_THROUGH)
                .willReturn(emulateContainers ? passThrough.withTransformers(ContainerEmulator.NAME) : passThrough));
    }

    /** From now on a RunTask with an earlier call's client token gets that call's answer, as from ECS, not a second task. */
    public void honourClientTokens() {
        clientTokens.enable();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** Every RunTask on FARGATE_SPOT fails for lack of capacity, as ECS answers it (HTTP 200 with failures). */
    public void noSpotCapacity() {
        server.stubFor(call("RunTask").withRequestBody(containing("FARGATE_SPOT")).atPriority(FAULT)
                .willReturn(json(200, "{\"tasks\":[],\"failures\":[{\"arn\":\"\",\"reason\":\"" + SPOT_CAPACITY_FAILURE + "\"}]}")));
    }

    /** The next {@code times} RunTask calls are throttled (HTTP 400, __type ThrottlingException); later ones pass. */
    public void throttleRunTask(int times) {
        for (int i = 0; i < times; i++) {
            server.stubFor(call("RunTask").atPriority(FAULT).inScenario("throttle")
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "throttled-" + i)
                    .willSetStateTo("throttled-" + (i + 1))
                    .willReturn(json(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}")));
        }
    }

    /** Every CloudWatch Logs GetLogEvents is throttled (HTTP 400, __type ThrottlingException), as the service answers it. */
    public void throttleGetLogEvents() {
        server.stubFor(post(anyUrl()).withHeader("X-Amz-Target", equalTo(LOGS_TARGET + "GetLogEvents")).atPriority(FAULT)
                .willReturn(json(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}")));
    }

    /** Every RunTask reaches moto as usual, but its answer comes {@code delay} later, as from a slow or distant ECS. */
    public void delayRunTask(java.time.Duration delay) {
        server.stubFor(call("RunTask").atPriority(FAULT).willReturn(aResponse().proxiedFrom(moto)
                .withTransformers(ContainerEmulator.NAME).withFixedDelay((int) delay.toMillis())));
    }

    /** The next RunTask reaches moto (so its task exists) but its caller gets a 500. */
    public void loseNextRunTaskAnswer() {
        server.stubFor(call("RunTask").atPriority(FAULT).inScenario("lost").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("answered")
                .willReturn(aResponse().proxiedFrom(moto).withTransformers(ContainerEmulator.LostAnswer.NAME)));
    }

    /** The next RunTask is answered with neither a task nor a failure, and never reaches moto. */
    public void answerNextRunTaskWithNothing() {
        server.stubFor(call("RunTask").atPriority(FAULT).inScenario("empty").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("answered").willReturn(json(200, "{\"tasks\":[],\"failures\":[]}")));
    }

    /** The bodies of the calls of one ECS action, in order. */
    public List<JsonNode> requests(String action) {
        return server.findAll(postRequestedFor(anyUrl()).withHeader("X-Amz-Target", equalTo(TARGET + action))).stream()
                .map(r -> {
                    try {
                        return JSON.readTree(r.getBodyAsString());
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new UncheckedIOException(e);
                    }
                }).toList();
    }

    /** The most calls of one ECS action under way at the same time, each from its arrival until its answer was sent. */
    public int mostAtOnce(String action) {
        List<long[]> spans = server.getAllServeEvents().stream()
                .filter(e -> (TARGET + action).equals(e.getRequest().getHeader("X-Amz-Target")))
                .map(e -> {
                    long arrived = e.getRequest().getLoggedDate().getTime();
                    Integer took = e.getTiming().getTotalTime();
                    return new long[] {arrived, arrived + (took == null ? 0 : took)};
                }).toList();
        // The most overlap is reached at some call's arrival: count the calls under way then.
        return spans.stream().mapToInt(s -> (int) spans.stream().filter(o -> o[0] <= s[0] && s[0] < o[1]).count())
                .max().orElse(0);
    }

    @Override
    public void close() {
        server.stop();
    }

    private static MappingBuilder call(String action) {
        return post(anyUrl()).withHeader("X-Amz-Target", equalTo(TARGET + action));
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body);
    }
}
