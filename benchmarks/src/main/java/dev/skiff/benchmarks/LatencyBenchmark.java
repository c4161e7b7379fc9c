package dev.skiff.benchmarks;

import dev.skiff.testing.EcsEvents;
import dev.skiff.testing.MotoServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * How long Skiff itself takes on its two hot paths, on the packaged service:
 * <ul>
 *   <li>trigger to RunTask request: from the benchmark sending {@code POST /jobs/{job}/runs} (the send time taken on
 *   the benchmark's side, as the service has no hook for a request's arrival; loopback adds well under a millisecond)
 *   to the moment the RunTask request has reached the stand-in. With the embedded engine and the Fargate launcher,
 *   and in Step Functions mode, where the interval is split into Skiff's two parts (API call to StartExecution
 *   request; dispatch message handed over by SQS to RunTask request) and Step Functions' and SQS's part between;</li>
 *   <li>STOPPED event in hand to SendTaskSuccess sent (Step Functions mode): from the moment SQS's answer carrying the
 *   event went back to the service to the moment its SendTaskSuccess request arrived, reported apart from the
 *   SendTaskSuccess call itself.</li>
 * </ul>
 * Every AWS call of the service goes through a {@link ThrottlingProxy} in front of moto that keeps the time of each
 * request and answer. In the stand-in runs the proxy answers RunTask and SendTaskSuccess itself at once; in the moto
 * runs moto answers them. Triggers go one at a time (the next once the previous one's RunTask was answered) and
 * RunTask's rate limit is set far above the rate used, so no figure holds a quota wait or a queue behind another run.
 */
final class LatencyBenchmark {

    private static final int EMBEDDED_TRIGGERS = Integer.getInteger("skiff.bench.latency-triggers", 300);
    private static final int SFN_TRIGGERS = Integer.getInteger("skiff.bench.latency-sfn-triggers", 100);
    /** Runs before the measured ones, so that the service's paths are compiled when measured. */
    private static final int WARM_UP = 100;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PAUSE = Duration.ofMillis(20);
    /** Far above the one-at-a-time rate: no launch waits for the limiter. */
    private static final Map<String, String> NO_QUOTA_WAITS = Map.of("SKIFF_FARGATE_RUN_TASK_RATE", "10000",
            "SKIFF_FARGATE_RUN_TASK_BURST", "10000");
    private static final Pattern TASK_ID = Pattern.compile(":task/[^/\"]+/([0-9a-f-]+)");

    private LatencyBenchmark() {
    }

    static void run() throws Exception {
        MotoServer moto = MotoServer.shared();
        moto.enableStepFunctionsExecution();
        String command = "./mvnw -B -Pbench -pl benchmarks -am verify -DskipTests -Dbench=latency";
        System.out.printf("%nlatency (%s), load average %s%n", command, loadAverage());
        String only = System.getProperty("skiff.bench.latency-only", ""); // embedded or stepfunctions: that half alone
        if (!only.equals("stepfunctions")) {
            embeddedFargate(moto.endpoint(), true);
            embeddedFargate(moto.endpoint(), false);
        }
        if (!only.equals("embedded")) {
            stepFunctions(moto.endpoint(), true);
            stepFunctions(moto.endpoint(), false);
        }
    }

    /** The embedded engine launching on Fargate: POST to RunTask request. */
    private static void embeddedFargate(URI moto, boolean standIn) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String job = "latency-" + suffix;
        try (SqsClient sqs = StepFunctionsService.sqs(moto); EcsClient ecs = MotoCluster.client(moto);
             var proxy = new ThrottlingProxy(moto, 10_000, 10_000)) {
            Map<String, String> environment = new java.util.HashMap<>(NO_QUOTA_WAITS);
            environment.put("SKIFF_ENGINE", "embedded");
            // nothing ends these tasks; the launcher must not spend calls asking about them meanwhile, and the runs
            // still running must not hold the next one back
            environment.put("SKIFF_FARGATE_POLL_INTERVAL", "1h");
            environment.put("SKIFF_EMBEDDED_MAX_CONCURRENT_ATTEMPTS", "100000");
            String jfr = System.getProperty("skiff.bench.service-jfr"); // a directory: a flight recording of each service
            if (jfr != null) {
                environment.put("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=settings=profile,filename="
                        + Path.of(jfr, "embedded-" + (standIn ? "stand-in" : "moto") + ".jfr"));
            }
            try (var service = StepFunctionsService.start("latency-embedded", proxy.endpoint(), sqs, ecs, suffix,
                    jobsDirectory(job).toString(), environment)) {
                triggers(service.process(), job, proxy, 1, "first"); // moto answers it: the at-once answers' template
                if (standIn) {
                    proxy.answerAtOnce("RunTask", runTaskAnswers(last(proxy, c -> c.is("RunTask")).response()));
                }
                triggers(service.process(), job, proxy, WARM_UP, "warm");
                double[][] ms = triggers(service.process(), job, proxy, EMBEDDED_TRIGGERS, "run");
                System.out.printf("latency: embedded engine + Fargate launcher, RunTask answered by %s, %d triggers one at a time:%n",
                        standIn ? "the stand-in at once" : "moto", EMBEDDED_TRIGGERS);
                System.out.printf("  trigger -> RunTask request      %s%n", figures(ms[0]));
                System.out.printf("  trigger -> POST answered (201)  %s (the run is stored; its launch goes on apart)%n", figures(ms[1]));
                System.out.printf("  load average                    %s%n", loadAverage());
            }
        }
    }

    /**
     * Posts {@code count} runs one at a time; the milliseconds from each POST to its RunTask request ({@code [0]})
     * and to the POST's answer ({@code [1]}).
     */
    private static double[][] triggers(OrchestratorProcess service, String job, ThrottlingProxy proxy, int count, String key)
            throws Exception {
        double[][] ms = new double[2][count];
        for (int i = 0; i < count; i++) {
            long sent = System.nanoTime();
            post(service, job, key + "-" + i);
            ms[1][i] = (System.nanoTime() - sent) / 1e6;
            ms[0][i] = (await(proxy, c -> c.is("RunTask") && c.arrived() > sent).arrived() - sent) / 1e6;
            Thread.sleep(PAUSE.toMillis());
        }
        return ms;
    }

    /** Step Functions mode: POST to RunTask request in three parts, and STOPPED event to SendTaskSuccess. */
    private static void stepFunctions(URI moto, boolean standIn) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String job = "latency-" + suffix;
        try (SfnClient sfn = StepFunctionsService.sfn(moto); SqsClient sqs = StepFunctionsService.sqs(moto);
             EcsClient ecs = MotoCluster.client(moto); var proxy = new ThrottlingProxy(moto, 10_000, 10_000);
             var service = StepFunctionsService.start("latency-sfn", proxy.endpoint(), sqs, ecs, suffix,
                     jobsDirectory(job).toString(), NO_QUOTA_WAITS)) {
            StepFunctionsService.awaitStateMachine(sfn, "skiff-" + job);
            EcsEvents events = service.ecsEvents(ecs, sqs);
            if (standIn) {
                proxy.answerAtOnce("SendTaskSuccess", request -> "{}");
            }
            int total = WARM_UP / 5 + SFN_TRIGGERS; // moto's Step Functions is slow: fewer
            double[] toStart = new double[SFN_TRIGGERS];
            double[] stepFunctions = new double[SFN_TRIGGERS];
            double[] toRunTask = new double[SFN_TRIGGERS];
            double[] endToEnd = new double[SFN_TRIGGERS];
            double[] answerSkiff = new double[SFN_TRIGGERS];
            double[] answerCall = new double[SFN_TRIGGERS];
            double[] answerEndToEnd = new double[SFN_TRIGGERS];
            for (int i = 0; i < total; i++) {
                long sent = System.nanoTime();
                post(service.process(), job, "sfn-" + i);
                var start = await(proxy, c -> c.is("StartExecution") && c.arrived() > sent);
                var dispatch = await(proxy, c -> delivered(c, "skiff-dispatch-") && c.answered() > start.arrived());
                var runTask = await(proxy, c -> c.is("RunTask") && c.arrived() > dispatch.answered());
                events.stopNewTasks(0);
                long stopSent = System.nanoTime();
                var event = await(proxy, c -> delivered(c, "skiff-task-events-") && c.answered() > runTask.answered());
                var answer = await(proxy, c -> c.is("SendTaskSuccess") && c.arrived() > event.answered());
                int k = i - WARM_UP / 5;
                if (k >= 0) {
                    toStart[k] = (start.arrived() - sent) / 1e6;
                    stepFunctions[k] = (dispatch.answered() - start.arrived()) / 1e6;
                    toRunTask[k] = (runTask.arrived() - dispatch.answered()) / 1e6;
                    endToEnd[k] = (runTask.arrived() - sent) / 1e6;
                    answerSkiff[k] = (answer.arrived() - event.answered()) / 1e6;
                    answerCall[k] = (answer.answered() - answer.arrived()) / 1e6;
                    answerEndToEnd[k] = (answer.answered() - stopSent) / 1e6;
                }
                Thread.sleep(PAUSE.toMillis());
            }
            double[] skiffShare = new double[SFN_TRIGGERS];
            for (int k = 0; k < SFN_TRIGGERS; k++) {
                skiffShare[k] = toStart[k] + toRunTask[k];
            }
            System.out.printf("latency: Step Functions mode, SendTaskSuccess answered by %s, %d runs one at a time:%n",
                    standIn ? "the stand-in at once" : "moto", SFN_TRIGGERS);
            System.out.printf("  POST -> StartExecution request           %s (Skiff)%n", figures(toStart));
            System.out.printf("  StartExecution -> dispatch message in hand %s (moto's Step Functions and SQS)%n", figures(stepFunctions));
            System.out.printf("  dispatch message in hand -> RunTask      %s (Skiff)%n", figures(toRunTask));
            System.out.printf("  trigger -> RunTask, Skiff's own parts    %s%n", figures(skiffShare));
            System.out.printf("  trigger -> RunTask end to end            %s%n", figures(endToEnd));
            System.out.printf("  STOPPED in hand -> SendTaskSuccess sent  %s (Skiff)%n", figures(answerSkiff));
            System.out.printf("  SendTaskSuccess call                     %s (%s)%n", figures(answerCall), standIn ? "stand-in" : "moto");
            System.out.printf("  STOPPED sent to SQS -> answered          %s (end to end)%n", figures(answerEndToEnd));
            System.out.printf("  load average                             %s%n", loadAverage());
        }
    }

    /** An SQS ReceiveMessage of the queue whose name starts so, whose answer carried a message. */
    private static boolean delivered(ThrottlingProxy.Call call, String queue) {
        return call.is("ReceiveMessage") && call.request().contains(queue) && call.response().contains("\"MessageId\"");
    }

    private static void post(OrchestratorProcess service, String job, String key) throws Exception {
        HttpResponse<String> response = service.post("/jobs/" + job + "/runs", "{}", key);
        if (response.statusCode() != 201) {
            throw new IllegalStateException("POST /jobs/" + job + "/runs answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** The first call (in the order their answers went back) that passes the test, waiting for it. */
    private static ThrottlingProxy.Call await(ThrottlingProxy proxy, Predicate<ThrottlingProxy.Call> test) throws InterruptedException {
        long giveUp = System.nanoTime() + TIMEOUT.toNanos();
        int from = 0;
        while (System.nanoTime() < giveUp) {
            List<ThrottlingProxy.Call> calls = proxy.calls;
            for (int i = from; i < calls.size(); i++) {
                if (test.test(calls.get(i))) {
                    return calls.get(i);
                }
            }
            from = Math.max(0, calls.size() - 64); // a call appended out of order is still seen
            Thread.sleep(1);
        }
        throw new IllegalStateException("the awaited call did not reach the proxy within " + TIMEOUT.toSeconds() + " s");
    }

    private static ThrottlingProxy.Call last(ThrottlingProxy proxy, Predicate<ThrottlingProxy.Call> test) {
        List<ThrottlingProxy.Call> calls = proxy.calls;
        for (int i = calls.size() - 1; i >= 0; i--) {
            if (test.test(calls.get(i))) {
                return calls.get(i);
            }
        }
        throw new IllegalStateException("no such call yet");
    }

    /** RunTask answers like moto's {@code template}, each with a task of its own. */
    private static UnaryOperator<String> runTaskAnswers(String template) {
        Matcher task = TASK_ID.matcher(template);
        if (!task.find()) {
            throw new IllegalStateException("no task in moto's RunTask answer: " + template);
        }
        String id = task.group(1);
        return request -> template.replace(id, UUID.randomUUID().toString());
    }

    private static Path jobsDirectory(String job) throws Exception {
        Path jobs = Files.createTempDirectory(StepFunctionsService.target(), "latency-jobs-");
        Files.writeString(jobs.resolve(job + ".yaml"), """
                name: %s
                owner: bench
                image: example/noop:1
                command: ["true"]
                retries:
                  maxAttempts: 1
                """.formatted(job));
        return jobs;
    }

    static String figures(double[] ms) {
        Stats stats = new Stats(ms);
        return String.format("p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms", stats.percentile(50), stats.percentile(99),
                stats.percentile(100));
    }

    static String loadAverage() {
        try {
            return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
