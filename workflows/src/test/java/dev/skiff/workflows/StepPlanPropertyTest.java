package dev.skiff.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For many random step graphs: the plan never starts a step before all it depends on (directly or not) has succeeded,
 * and a plan of shape {@link GraphShape#SERIES_PARALLEL} waits for nothing else; the compiled definition follows the
 * ASL rules.
 */
class StepPlanPropertyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Long> seeds() {
        return IntStream.range(0, 300).mapToObj(i -> (long) i);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void shouldStartEachStepAfterItsDependenciesWhenTheGraphIsRandom(long seed) throws Exception {
        // Given a random graph: edges only from earlier to later steps (so no cycle), sparse or dense by seed
        var random = new Random(seed);
        int size = 1 + random.nextInt(seed % 10 == 0 ? 60 : 12);
        double density = random.nextDouble() * 0.5;
        var steps = new ArrayList<Step>();
        for (int i = 0; i < size; i++) {
            var dependsOn = new ArrayList<String>();
            for (int j = 0; j < i; j++) {
                if (random.nextDouble() < density) {
                    dependsOn.add("s" + j);
                }
            }
            steps.add(TestSteps.step("s" + i, dependsOn.toArray(String[]::new)));
        }
        var workflow = new Workflow("w", steps);

        // When
        StepPlan plan = StepPlan.of(workflow);
        var before = new HashMap<String, Set<String>>();
        Set<String> all = walk(plan, Set.of(), before);

        // Then every step is in the plan once, after all its ancestors, and after nothing else when exact
        assertThat(all).hasSize(size);
        Map<String, Set<String>> reaches = workflow.reachability();
        for (Step step : steps) {
            var ancestors = new HashSet<String>();
            reaches.forEach((other, below) -> {
                if (below.contains(step.name())) {
                    ancestors.add(other);
                }
            });
            assertThat(before.get(step.name())).as("%s in %s", step.name(), plan).containsAll(ancestors);
            if (plan.shape() == GraphShape.SERIES_PARALLEL) {
                assertThat(before.get(step.name())).as("%s in %s", step.name(), plan).isEqualTo(ancestors);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void shouldFollowTheAslRulesWhenARandomPipelineCompiles(long seed) throws Exception {
        // Given a random pipeline of up to 12 steps, some of them forEach steps
        var random = new Random(seed);
        var yaml = new StringBuilder("name: random\nowner: data\nimage: img:1\ncommand: [\"run\"]\nsteps:\n");
        int size = 1 + random.nextInt(12);
        for (int i = 0; i < size; i++) {
            yaml.append("  - name: s").append(i).append('\n');
            var dependsOn = new ArrayList<String>();
            for (int j = 0; j < i; j++) {
                if (random.nextDouble() < 0.3) {
                    dependsOn.add("s" + j);
                }
            }
            if (!dependsOn.isEmpty()) {
                yaml.append("    dependsOn: [").append(String.join(", ", dependsOn)).append("]\n");
            }
            if (random.nextInt(4) == 0) {
                yaml.append("    forEach:\n      list: s3://bucket/p/\n      toleratedFailures: ")
                        .append(random.nextInt(3)).append('\n');
            }
        }
        JobSpec spec = JobSpecs.parse("random.yaml", yaml.toString());

        // When / Then
        assertThat(AslRules.problems(JSON.readTree(WorkflowCompiler.compile(spec)))).as(yaml.toString()).isEmpty();
    }

    /** Records, for each step, the steps the plan has finished before it starts; returns the plan's steps. */
    private static Set<String> walk(StepPlan plan, Set<String> done, Map<String, Set<String>> before) {
        if (plan instanceof StepPlan.Single single) {
            assertThat(before.put(single.step().name(), done)).isNull();
            return Set.of(single.step().name());
        }
        List<StepPlan> parts = plan instanceof StepPlan.Series series ? series.parts()
                : plan instanceof StepPlan.Levels levels ? levels.levels() : ((StepPlan.Branches) plan).parts();
        var inPlan = new HashSet<String>();
        var finished = new HashSet<>(done);
        for (StepPlan part : parts) {
            Set<String> steps = walk(part, plan instanceof StepPlan.Branches ? done : Set.copyOf(finished), before);
            inPlan.addAll(steps);
            finished.addAll(steps);
        }
        return inPlan;
    }
}
