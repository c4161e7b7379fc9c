package dev.skiff.benchmarks;

import dev.skiff.jobs.JobSpec;
import dev.skiff.workflows.CompileOptions;
import dev.skiff.workflows.DispatchRequest;
import dev.skiff.workflows.WorkflowCompiler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Moto's own ceiling for a pipeline's fan-out: the job's compiled state machine run once on moto with no Skiff in the
 * loop. A trivial consumer answers every dispatch message at once (the items request with the items, each launch with
 * success), from as many threads as the service consumes the dispatch queue on; no task is started, no event sent.
 *
 * <p>Moto 5.2.5 misses an answer that arrives before it waits for it (the iteration then waits for its
 * HeartbeatSeconds, minutes). Answering at once makes that frequent (in one trial 200 items took 330 s), so every
 * answer is followed {@value #WAKE_AFTER_MS} ms later by a heartbeat to its token, which wakes such a wait (and is
 * ignored otherwise); and after two seconds without a message (a quiet spell, counted) the last answered tokens get
 * another. The heartbeats are calls moto serves too, which the service's path needs not (its answers come after a task
 * ran), so the ceiling is, if anything, low.
 */
final class MotoMapCeiling {

    /** The service's dispatch consumers ({@code skiff.sfn.dispatch-concurrency}'s default). */
    static final int CONSUMERS = 8;
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final int RECENT_TOKENS = 64;
    private static final long WAKE_AFTER_MS = 250;

    /**
     * @param itemsPerSecond over the fan-out: first item's launch request received to last item answered
     * @param repeats        item launch requests received again after their item was answered (moto's SQS delivers
     *                       a message twice now and then); answered again, as a redelivery would be
     */
    record Result(int items, double fanOutSeconds, double itemsPerSecond, double wholeSeconds, int quietSpells,
                  int repeats) {
    }

    private final SfnClient sfn;
    private final SqsClient sqs;
    private final String itemsAnswer;
    private final AtomicLong firstItem = new AtomicLong();
    private final AtomicLong lastItem = new AtomicLong();
    private final AtomicLong lastMessage = new AtomicLong(System.nanoTime());
    private final Set<Integer> itemsAnswered = ConcurrentHashMap.newKeySet();
    private final AtomicInteger repeats = new AtomicInteger();
    private final Deque<String> recentTokens = new ArrayDeque<>();
    private final ConcurrentHashMap<String, Integer> failures = new ConcurrentHashMap<>();
    private final ScheduledExecutorService wakeTimer = Executors.newScheduledThreadPool(2);

    /** @param items the items the forEach step fans out over, as the dispatcher would answer its items request */
    private MotoMapCeiling(SfnClient sfn, SqsClient sqs, List<Integer> items) {
        this.sfn = sfn;
        this.sqs = sqs;
        this.itemsAnswer = "{\"items\": " + items + ", \"maxFailures\": 0}";
    }

    /** Runs {@code job} (one forEach step over {@code items}) once on a copy of its state machine, and times it. */
    static Result measure(SfnClient sfn, SqsClient sqs, JobSpec job, List<Integer> items, String input, String suffix)
            throws InterruptedException {
        return new MotoMapCeiling(sfn, sqs, items).run(job, items.size(), input, suffix);
    }

    private Result run(JobSpec job, int items, String input, String suffix) throws InterruptedException {
        String queue = sqs.createQueue(r -> r.queueName("skiff-ceiling-" + suffix)).queueUrl();
        String definition = WorkflowCompiler.compile(job, CompileOptions.defaults().withDispatchQueueUrl(queue));
        String machine = sfn.createStateMachine(r -> r.name("ceiling-" + suffix).definition(definition)
                .roleArn(StepFunctionsService.ROLE_ARN)).stateMachineArn();
        ExecutorService consumers = Executors.newFixedThreadPool(CONSUMERS);
        long start = System.nanoTime();
        String execution = sfn.startExecution(r -> r.stateMachineArn(machine).name("ceiling").input(input)).executionArn();
        for (int i = 0; i < CONSUMERS; i++) {
            consumers.execute(() -> consume(queue));
        }
        int quietSpells = 0;
        ExecutionStatus status;
        long giveUp = start + TimeUnit.MINUTES.toNanos(10);
        try {
            while ((status = sfn.describeExecution(r -> r.executionArn(execution)).status()) == ExecutionStatus.RUNNING) {
                if (System.nanoTime() > giveUp) {
                    throw new IllegalStateException("moto's ceiling: the Map of " + items + " items did not end within"
                            + " 10 min (" + itemsAnswered.size() + " items answered, failed calls " + failures + ")");
                }
                Thread.sleep(500);
                if (System.nanoTime() - lastMessage.get() > QUIET.toNanos() && wakeRecent()) {
                    quietSpells++;
                }
            }
        } finally {
            consumers.shutdownNow();
            consumers.awaitTermination(30, TimeUnit.SECONDS);
            wakeTimer.shutdownNow();
        }
        double whole = (System.nanoTime() - start) / 1e9;
        if (status != ExecutionStatus.SUCCEEDED || itemsAnswered.size() != items || !failures.isEmpty()) {
            throw new IllegalStateException("moto's ceiling: the execution ended " + status + " with "
                    + itemsAnswered.size() + " of " + items + " items answered (failed calls " + failures + ")");
        }
        double fanOut = (lastItem.get() - firstItem.get()) / 1e9;
        return new Result(items, fanOut, items / fanOut, whole, quietSpells, repeats.get());
    }

    private void consume(String queue) {
        while (!Thread.currentThread().isInterrupted()) {
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return; // shut down while waiting
                }
                failures.merge("ReceiveMessage " + e.getClass().getSimpleName(), 1, Integer::sum);
                continue;
            }
            for (Message message : messages) {
                lastMessage.set(System.nanoTime());
                try {
                    answer(DispatchRequest.parse(message.body()));
                    sqs.deleteMessage(r -> r.queueUrl(queue).receiptHandle(message.receiptHandle()));
                } catch (RuntimeException e) {
                    failures.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1, Integer::sum);
                }
            }
        }
    }

    private void answer(DispatchRequest request) {
        boolean item = request.itemIndex().isPresent();
        if (item) {
            firstItem.compareAndSet(0, System.nanoTime());
        }
        String output = request.kind() == DispatchRequest.Kind.ITEMS ? itemsAnswer : "{}";
        sfn.sendTaskSuccess(r -> r.taskToken(request.taskToken()).output(output));
        wakeTimer.schedule(() -> heartbeat(request.taskToken()), WAKE_AFTER_MS, TimeUnit.MILLISECONDS);
        synchronized (recentTokens) {
            recentTokens.addFirst(request.taskToken());
            if (recentTokens.size() > RECENT_TOKENS) {
                recentTokens.removeLast();
            }
        }
        if (item) {
            lastItem.set(System.nanoTime());
            if (!itemsAnswered.add(request.itemIndex().getAsInt())) {
                repeats.incrementAndGet();
            }
        }
    }

    /** Heartbeats the last answered tokens, which wakes an iteration that missed its answer; false with none yet. */
    private boolean wakeRecent() {
        List<String> tokens;
        synchronized (recentTokens) {
            tokens = new ArrayList<>(recentTokens);
        }
        tokens.forEach(this::heartbeat);
        lastMessage.set(System.nanoTime());
        return !tokens.isEmpty();
    }

    private void heartbeat(String token) {
        try {
            sfn.sendTaskHeartbeat(r -> r.taskToken(token));
        } catch (RuntimeException alreadyHeard) {
            // the iteration read its answer and moved on
        }
    }
}
