package dev.skiff.orchestrator.adapter.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.orchestrator.adapter.s3.MotoS3;
import dev.skiff.orchestrator.adapter.s3.S3Location;
import dev.skiff.orchestrator.adapter.s3.S3TaskRecords;
import dev.skiff.orchestrator.port.TaskRecords;
import dev.skiff.orchestrator.port.TaskReport;
import dev.skiff.testing.MotoServer;
import dev.skiff.workflows.RunStatus;
import dev.skiff.workflows.StepOutcome;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Real SDK clients on the shared moto server with Step Functions execution on. Tests never reset moto (other
 * tests of the JVM share it): each makes its own dispatch queue and uniquely named jobs.
 */
public final class MotoStepFunctions {

    public static final Region REGION = Region.US_EAST_1;
    /** Moto checks only the shape of a role ARN. */
    public static final String ROLE_ARN = "arn:aws:iam::123456789012:role/skiff-state-machines";
    /** skiff.sfn.token-keys of the tests: a key that seals the steps' task tokens (only tests know it). */
    public static final String TOKEN_KEY = "test-only-task-token-key-0123456789abcdef";

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private MotoStepFunctions() {
    }

    /** A fresh store of task records: a new bucket in moto's S3, as AWS mode keeps them beside the specs. */
    public static TaskRecords taskRecords() {
        S3Client s3 = MotoS3.client();
        return new S3TaskRecords(s3, S3Location.parse("s3://" + MotoS3.createBucket(s3) + "/skiff/"));
    }

    public static SfnClient sfn() {
        return sfn(new ExecutionInterceptor[0]);
    }

    /** A client whose calls pass through these interceptors (which may mend what moto answers). */
    public static SfnClient sfn(ExecutionInterceptor... interceptors) {
        MotoServer moto = MotoServer.shared();
        moto.enableStepFunctionsExecution();
        return SfnClient.builder().endpointOverride(moto.endpoint()).region(REGION).credentialsProvider(CREDENTIALS)
                .overrideConfiguration(c -> List.of(interceptors).forEach(c::addExecutionInterceptor)).build();
    }

    public static software.amazon.awssdk.services.eventbridge.EventBridgeClient eventBridge() {
        return software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder()
                .endpointOverride(MotoServer.shared().endpoint()).region(REGION).credentialsProvider(CREDENTIALS).build();
    }

    public static SqsClient sqs() {
        return SqsClient.builder().endpointOverride(MotoServer.shared().endpoint()).region(REGION)
                .credentialsProvider(CREDENTIALS).build();
    }

    /** A new dispatch queue; returns its URL. */
    public static String dispatchQueue(SqsClient sqs) {
        return sqs.createQueue(r -> r.queueName("skiff-dispatch-" + UUID.randomUUID().toString().substring(0, 8))).queueUrl();
    }

    /** A job name no other test uses. */
    public static String jobName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The next launch request the state machines sent to the queue, deleted from it. */
    public static JsonNode nextLaunchRequest(SqsClient sqs, String queueUrl, Duration within) throws Exception {
        Instant giveUp = Instant.now().plus(within);
        while (Instant.now().isBefore(giveUp)) {
            for (Message m : sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(1).maxNumberOfMessages(1)).messages()) {
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                return JSON.readTree(m.body());
            }
        }
        throw new AssertionError("no launch request reached " + queueUrl + " within " + within);
    }

    /**
     * Sends heartbeats for the token until moto accepts one; false if it still has not when {@code running} turns
     * false or {@code within} has passed. Moto 5.2.5 sends a launch request before it sets up the heartbeat wait of the
     * task state, and until then answers SendTaskHeartbeat with InvalidToken; an answer sent in that window is kept but
     * not read, so the step waits out its HeartbeatSeconds (minutes). Under load a test answers in that window often
     * enough. A heartbeat moto accepts wakes the wait, which then reads the answer kept.
     *
     * <p>So call it right after answering. Before an answer only on a token never answered yet: moto keeps one token
     * for all the retries of a state and keeps its last answer, which a heartbeat would make the retry read as its own.
     * AWS needs none of this.
     *
     * @param running whether the token can still be listened for (its execution runs); a torn-down Map iteration's
     *                token never is
     */
    public static boolean heartbeatUntilAccepted(SfnClient sfn, String taskToken, BooleanSupplier running,
                                                 Duration within) throws InterruptedException {
        Instant giveUp = Instant.now().plus(within);
        while (true) {
            try {
                sfn.sendTaskHeartbeat(r -> r.taskToken(taskToken));
                return true;
            } catch (InvalidTokenException notYet) {
                if (!Instant.now().isBefore(giveUp) || !running.getAsBoolean()) {
                    return false;
                }
                Thread.sleep(20);
            } catch (TaskDoesNotExistException | TaskTimedOutException closed) {
                return false; // the step is over: an answer changes nothing
            }
        }
    }

    /** Answers the token as the dispatcher does, then makes sure moto reads it: {@link #heartbeatUntilAccepted}. */
    public static TaskTokens.Delivery answer(SfnClient sfn, String taskToken, StepOutcome outcome, TaskReport task,
                                             BooleanSupplier running, Duration within) throws InterruptedException {
        TaskTokens.Delivery delivery = new TaskTokens(sfn).answer(taskToken, outcome, task);
        heartbeatUntilAccepted(sfn, taskToken, running, within);
        return delivery;
    }

    /** Waits until the status read is the one expected; fails with the last status otherwise. */
    public static void awaitStatus(Supplier<RunStatus> status, RunStatus expected, Duration within) throws InterruptedException {
        Instant giveUp = Instant.now().plus(within);
        RunStatus last = status.get();
        while (last != expected && Instant.now().isBefore(giveUp)) {
            Thread.sleep(100);
            last = status.get();
        }
        if (last != expected) {
            throw new AssertionError("expected " + expected + " within " + within + ", still " + last);
        }
    }
}
