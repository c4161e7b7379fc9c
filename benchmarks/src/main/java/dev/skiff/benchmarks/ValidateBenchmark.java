package dev.skiff.benchmarks;

import dev.skiff.jobs.JobSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Validating 1,000 specs: the example specs, renamed so each is distinct, parsed and checked in full
 * (schema, cron, event patterns, Fargate sizes). Seven measured rounds after five of warm-up; prints each and the median.
 */
final class ValidateBenchmark {

    private static final int SPECS = 1_000;
    private static final int ROUNDS = 7;
    private static final int WARM_UP_ROUNDS = 5;

    static void run(Path examples) throws IOException {
        List<String> templates = new ArrayList<>();
        try (Stream<Path> files = Files.list(examples)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                templates.add(Files.readString(file));
            }
        }
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < SPECS; i++) {
            String template = templates.get(i % templates.size());
            specs.add(template.replaceFirst("(?m)^name: (\\S+)", "name: $1-" + i));
        }
        // Warm-up: the JIT and the schema/cron caches, as in a long-running orchestrator.
        for (int r = 0; r < WARM_UP_ROUNDS; r++) {
            validateAll(specs);
        }
        double[] rates = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long start = System.nanoTime();
            int valid = validateAll(specs);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (valid != SPECS) {
                throw new IllegalStateException("only " + valid + " of " + SPECS + " specs were valid");
            }
            rates[r] = SPECS / seconds;
            System.out.printf("  round %d: %,d specs in %.3f s = %,.0f specs/s%n", r + 1, SPECS, seconds, rates[r]);
        }
        System.out.printf("validate: median %,.0f specs/s over %d rounds of %,d specs (%d distinct example templates)%n",
                Stats.median(rates), ROUNDS, SPECS, templates.size());
    }

    private static int validateAll(List<String> specs) {
        int valid = 0;
        for (int i = 0; i < specs.size(); i++) {
            if (JobSpecs.check("spec-" + i + ".yaml", specs.get(i)).valid()) {
                valid++;
            }
        }
        return valid;
    }
}
