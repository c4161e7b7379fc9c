package dev.skiff.orchestrator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.adapter.sfn.MotoStepFunctions;
import dev.skiff.orchestrator.adapter.sfn.TaskTokens;
import dev.skiff.orchestrator.port.TaskFleet;
import dev.skiff.workflows.DispatchRequest;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureResponse;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessResponse;

/** How the dispatcher answers a pipeline's items requests, and a launch whose parameters name nothing. */
class StepLauncherTest {

    private static final JobSpec JOB = TestSpecs.shell("etl", "true", """
            parameters:
              PARTS:
                default: "[]"
            steps:
              - name: each
                forEach:
                  items: $.parameters.PARTS
                  toleratedFailures: 50%
                parameters:
                  PART: $.item.name
            """);

    /** What was sent to Step Functions: "success <output>" or "failure <error> <cause>". */
    private final List<String> answers = new ArrayList<>();
    private final StepLauncher launcher = new StepLauncher(name -> Optional.of(JOB), noFleet(),
            new TaskTokens(recordingSfn()), TaskTokenSeal.of(List.of(MotoStepFunctions.TOKEN_KEY), "test"));

    @Test
    void shouldAnswerAnItemsRequestWithTheItemsAndTheFailuresTolerated() {
        assertThat(launcher.launch(items(Map.of("PARTS", "[{\"name\": \"a\"}, {\"name\": \"b\"}, {\"name\": \"c\"}]")), false))
                .isEqualTo(StepLauncher.Outcome.ANSWERED);
        assertThat(answers).containsExactly(
                "success {\"items\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\"}],\"maxFailures\":1}");
    }

    @Test
    void shouldFailAnItemsRequestWithBadReferenceWhenItsItemsAreMissing() {
        assertThat(launcher.launch(items(Map.of()), false)).isEqualTo(StepLauncher.Outcome.ANSWERED_FAILED);
        assertThat(answers).singleElement().asString().startsWith("failure Skiff.BadReference step each: ")
                .contains("$.parameters.PARTS");
    }

    @Test
    void shouldFailAnItemsRequestWithTooManyItemsPastTheCap() {
        var many = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i <= 1000; i++) {
            many.addObject().put("name", "p" + i);
        }
        launcher.launch(items(Map.of("PARTS", many.toString())), false);
        assertThat(answers).singleElement().asString().startsWith("failure Skiff.TooManyItems step each: ")
                .contains("1001 items; a fan-out takes at most 1000");
    }

    @Test
    void shouldFailAnItemsLaunchWithBadReferenceWithoutStartingATaskWhenItsParameterNamesNothing() {
        var launch = new DispatchRequest(DispatchRequest.Kind.LAUNCH, "etl-run", "etl", "each", 1, Map.of(),
                OptionalInt.of(0), Optional.of("{\"id\": 1}"), "token");
        assertThat(launcher.launch(launch, false)).isEqualTo(StepLauncher.Outcome.ANSWERED_FAILED);
        assertThat(answers).singleElement().asString().startsWith("failure Skiff.BadReference ")
                .contains("$.item.name");
    }

    private static DispatchRequest items(Map<String, String> parameters) {
        return new DispatchRequest(DispatchRequest.Kind.ITEMS, "etl-run", "etl", "each", 1, parameters,
                OptionalInt.empty(), Optional.empty(), "token");
    }

    /** A fleet that must not be asked for anything: these answers are given without a task. */
    private static TaskFleet noFleet() {
        return (TaskFleet) Proxy.newProxyInstance(TaskFleet.class.getClassLoader(), new Class<?>[] {TaskFleet.class},
                (proxy, method, args) -> {
                    throw new AssertionError("no task may be launched: " + method.getName());
                });
    }

    /** Records SendTaskSuccess and SendTaskFailure, in either of the SDK's forms. */
    @SuppressWarnings("unchecked")
    private SfnClient recordingSfn() {
        return (SfnClient) Proxy.newProxyInstance(SfnClient.class.getClassLoader(), new Class<?>[] {SfnClient.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendTaskSuccess")) {
                        SendTaskSuccessRequest request = args[0] instanceof Consumer<?> c
                                ? build(SendTaskSuccessRequest.builder(), (Consumer<SendTaskSuccessRequest.Builder>) c)
                                : (SendTaskSuccessRequest) args[0];
                        answers.add("success " + request.output());
                        return SendTaskSuccessResponse.builder().build();
                    }
                    if (method.getName().equals("sendTaskFailure")) {
                        SendTaskFailureRequest request = args[0] instanceof Consumer<?> c
                                ? build(SendTaskFailureRequest.builder(), (Consumer<SendTaskFailureRequest.Builder>) c)
                                : (SendTaskFailureRequest) args[0];
                        answers.add("failure " + request.error() + " " + request.cause());
                        return SendTaskFailureResponse.builder().build();
                    }
                    throw new AssertionError("unexpected call " + method.getName());
                });
    }

    private static <B extends software.amazon.awssdk.utils.builder.SdkBuilder<B, R>, R> R build(B builder, Consumer<B> fill) {
        fill.accept(builder);
        return builder.build();
    }
}
