package dev.skiff.workflows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The order a {@link Workflow}'s steps run in, as ASL can draw it: steps one after another ({@link Series}), parts
 * side by side ({@link Branches}, a Parallel state), or, for a part that is not series-parallel, {@link Levels}.
 *
 * <p>The decomposition works on reachability, so implied dependencies change nothing: a set of steps is split into
 * the parts no dependency joins (each becomes a branch), or else into a first part every step of which comes before
 * every step of the rest (a series). A set that allows neither (the "N" a->c, a->d, b->d is the smallest) is not
 * series-parallel and runs in levels.
 */
sealed interface StepPlan {

    /** The shape the whole plan has: {@link GraphShape#LEVELS} as soon as any part needed levels. */
    GraphShape shape();

    /** One step. */
    record Single(Step step) implements StepPlan {
        @Override
        public GraphShape shape() {
            return GraphShape.SERIES_PARALLEL;
        }

        @Override
        public String toString() {
            return step.name();
        }
    }

    /** Parts run one after another, each once the one before has succeeded. */
    record Series(List<StepPlan> parts) implements StepPlan {
        @Override
        public GraphShape shape() {
            return shapeOf(parts);
        }

        @Override
        public String toString() {
            return written("series", parts);
        }
    }

    /** Parts run at once, the Parallel's branches. */
    record Branches(List<StepPlan> parts) implements StepPlan {
        @Override
        public GraphShape shape() {
            return shapeOf(parts);
        }

        @Override
        public String toString() {
            return written("parallel", parts);
        }
    }

    /** Levels one after another; a level of several steps is {@link Branches} of them, of one step that step. */
    record Levels(List<StepPlan> levels) implements StepPlan {
        @Override
        public GraphShape shape() {
            return GraphShape.LEVELS;
        }

        @Override
        public String toString() {
            return written("levels", levels);
        }
    }

    /** As the tests read plans: {@code series(a, parallel(b, c), d)}. */
    private static String written(String kind, List<StepPlan> parts) {
        return kind + "(" + parts.stream().map(Object::toString).collect(Collectors.joining(", ")) + ")";
    }

    private static GraphShape shapeOf(List<StepPlan> parts) {
        return parts.stream().anyMatch(part -> part.shape() == GraphShape.LEVELS)
                ? GraphShape.LEVELS : GraphShape.SERIES_PARALLEL;
    }

    /** The plan of a workflow; parts keep the steps' declaration order, so the same spec gives the same plan. */
    static StepPlan of(Workflow workflow) {
        return new Decomposition(workflow).plan(workflow.executionOrder().stream().map(Step::name).toList());
    }

    /** Splits sets of steps (given in execution order) with the workflow's reachability. */
    final class Decomposition {

        private final Workflow workflow;
        private final Map<String, Set<String>> reaches;
        private final Map<String, List<String>> reduced;

        private Decomposition(Workflow workflow) {
            this.workflow = workflow;
            this.reaches = workflow.reachability();
            this.reduced = workflow.reducedDependencies();
        }

        private StepPlan plan(List<String> names) {
            if (names.size() == 1) {
                return new Single(workflow.step(names.get(0)));
            }
            List<List<String>> components = components(names);
            if (components.size() > 1) {
                return new Branches(components.stream().map(this::plan).toList());
            }
            var parts = new ArrayList<StepPlan>();
            List<String> rest = names;
            int cut;
            while ((cut = seriesCut(rest)) > 0) {
                parts.add(plan(rest.subList(0, cut)));
                rest = rest.subList(cut, rest.size());
            }
            if (parts.isEmpty()) {
                return levels(names);
            }
            parts.add(plan(rest));
            return new Series(parts.stream().flatMap(part -> part instanceof Series series
                    ? series.parts().stream() : List.of(part).stream()).toList());
        }

        /** The parts no dependency joins, each in execution order, ordered by their first step. */
        private List<List<String>> components(List<String> names) {
            var members = new LinkedHashSet<>(names);
            var componentOf = new HashMap<String, Integer>();
            var components = new ArrayList<List<String>>();
            for (String name : names) {
                if (componentOf.containsKey(name)) {
                    continue;
                }
                var component = new LinkedHashSet<String>();
                var unvisited = new ArrayList<String>(List.of(name));
                while (!unvisited.isEmpty()) {
                    String next = unvisited.remove(unvisited.size() - 1);
                    if (members.contains(next) && component.add(next)) {
                        unvisited.addAll(reduced.get(next));
                        reduced.forEach((other, dependencies) -> {
                            if (dependencies.contains(next)) {
                                unvisited.add(other);
                            }
                        });
                    }
                }
                component.forEach(member -> componentOf.put(member, components.size()));
                components.add(names.stream().filter(component::contains).toList());
            }
            return components;
        }

        /**
         * The length of the shortest first part of {@code names} every step of which comes before every step of the
         * rest; 0 when there is none. Such a part is a prefix of any execution order, so only prefixes are tried.
         */
        private int seriesCut(List<String> names) {
            for (int cut = 1; cut < names.size(); cut++) {
                List<String> before = names.subList(0, cut);
                List<String> after = names.subList(cut, names.size());
                if (before.stream().allMatch(first -> reaches.get(first).containsAll(after))) {
                    return cut;
                }
            }
            return 0;
        }

        /** Each step at its longest path from a step of the set without dependencies in it. */
        private StepPlan levels(List<String> names) {
            var level = new LinkedHashMap<String, Integer>();
            for (String name : names) {
                int mine = workflow.step(name).dependsOn().stream().filter(level::containsKey)
                        .mapToInt(dependency -> level.get(dependency) + 1).max().orElse(0);
                level.put(name, mine);
            }
            int count = level.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
            var levels = new ArrayList<StepPlan>();
            for (int i = 0; i < count; i++) {
                int at = i;
                List<String> members = names.stream().filter(name -> level.get(name) == at).toList();
                levels.add(members.size() == 1 ? new Single(workflow.step(members.get(0)))
                        : new Branches(members.stream().map(name -> (StepPlan) new Single(workflow.step(name))).toList()));
            }
            return new Levels(levels);
        }
    }
}
