package dev.skiff.benchmarks;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;

/**
 * The scale jobs' state machines on moto, put in the state each measured start needs. A first deploy finds none: the
 * service's warmer then makes the scheduled jobs' machines at its full rate for hours (they fire 3-9 h ahead), which
 * is catch-up work, not what a deployment burns once it caught up. A deployment in its steady state finds every job's
 * machine there: its warmer lists them and has nothing to do. Making 100,000 machines through the warmer at 2 a second
 * would take 14 hours, so the benchmark creates those still missing itself, side by side. Their definition is a
 * placeholder: the warmer only asks whether a machine exists (a job's first run checks and updates its definition).
 * Moto finds a machine by walking its list of them, so each create and delete costs in proportion to how many there
 * are: making the 100,000 took some 25 minutes on 2 busy cores, and a kept moto's next run deletes them again first.
 */
final class ScaleMachines {

    /** Clients creating or deleting machines on moto at once. */
    private static final int CLIENTS = 8;
    private static final String PREFIX = "skiff-scale-";
    private static final String PLACEHOLDER = "{\"StartAt\":\"Placeholder\",\"States\":{\"Placeholder\":{\"Type\":\"Pass\","
            + "\"End\":true}}}";

    private ScaleMachines() {
    }

    /** Deletes every scale job's machine: the state of a first deploy. The number deleted. */
    static int deleteAll(URI endpoint) throws Exception {
        try (SfnClient sfn = StepFunctionsService.sfn(endpoint)) {
            List<String> arns = new ArrayList<>();
            for (StateMachineListItem machine : sfn.listStateMachinesPaginator(r -> r.maxResults(1000)).stateMachines()) {
                if (machine.name().startsWith(PREFIX)) {
                    arns.add(machine.stateMachineArn());
                }
            }
            sideBySide(arns, arn -> sfn.deleteStateMachine(r -> r.stateMachineArn(arn)));
            return arns.size();
        }
    }

    /** Creates the machine of each of the {@code jobs} scale jobs that has none: the steady state. The number created. */
    static int makeMissing(URI endpoint, int jobs) throws Exception {
        try (SfnClient sfn = StepFunctionsService.sfn(endpoint)) {
            Set<String> existing = new HashSet<>();
            sfn.listStateMachinesPaginator(r -> r.maxResults(1000)).stateMachines()
                    .forEach(machine -> existing.add(machine.name()));
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                String name = "skiff-" + ScaleBenchmark.name(i);
                if (!existing.contains(name)) {
                    missing.add(name);
                }
            }
            sideBySide(missing, name -> sfn.createStateMachine(r -> r.name(name).definition(PLACEHOLDER)
                    .roleArn(StepFunctionsService.ROLE_ARN)));
            return missing.size();
        }
    }

    private interface Call {
        void on(String item) throws Exception;
    }

    private static void sideBySide(List<String> items, Call call) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> calls = new ArrayList<>(items.size());
            for (String item : items) {
                calls.add(clients.submit(() -> {
                    call.on(item);
                    return null;
                }));
            }
            for (Future<?> each : calls) {
                each.get();
            }
        } finally {
            clients.shutdown();
        }
    }
}
