package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.aws.StepFunctionsChannels;
import dev.skiff.orchestrator.domain.SkiffException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which runtime runs: {@code skiff.engine} and {@code skiff.launcher} are read and checked against each other here
 * and nowhere else. Everything else asks the chosen {@link SkiffMode} for its parts.
 */
record ModeChoice(Engine engine, Launcher launcher) {

    static final String ENGINE_KEY = "skiff.engine";
    static final String LAUNCHER_KEY = "skiff.launcher";

    /** The values of {@code skiff.launcher}. */
    enum Launcher {
        PROCESS("process"), FARGATE("fargate");

        final String value;

        Launcher(String value) {
            this.value = value;
        }
    }

    /** The values of {@code skiff.engine}, with the launchers each can run and the messaging channels it reads. */
    enum Engine {
        EMBEDDED("embedded", EnumSet.allOf(Launcher.class), List.of(), ""),
        STEP_FUNCTIONS("stepfunctions", EnumSet.of(Launcher.FARGATE),
                List.of(StepFunctionsChannels.DISPATCH, StepFunctionsChannels.TASK_EVENTS),
                "; Step Functions mode learns of tasks' ends from ECS events");

        final String value;
        final Set<Launcher> launchers;
        final List<String> channels;
        private final String whyLaunchers;

        Engine(String value, Set<Launcher> launchers, List<String> channels, String whyLaunchers) {
            this.value = value;
            this.launchers = launchers;
            this.channels = channels;
            this.whyLaunchers = whyLaunchers;
        }

        static Optional<Engine> named(String value) {
            return Arrays.stream(values()).filter(e -> e.value.equals(value)).findFirst();
        }
    }

    /** The runtime these two values name; a value no runtime has, or a pair that cannot run, fails naming key and rule. */
    static ModeChoice of(String engineValue, String launcherValue) {
        Engine engine = Engine.named(engineValue).orElseThrow(() -> new SkiffException(ENGINE_KEY + ": '" + engineValue
                + "' is not an engine this build has (allowed: " + allowed(Arrays.stream(Engine.values()).map(e -> e.value)) + ")"));
        Launcher launcher = Arrays.stream(Launcher.values()).filter(l -> l.value.equals(launcherValue)).findFirst()
                .orElseThrow(() -> new SkiffException(LAUNCHER_KEY + ": '" + launcherValue
                        + "' is not a launcher this build has (allowed: " + allowed(Arrays.stream(Launcher.values()).map(l -> l.value)) + ")"));
        if (!engine.launchers.contains(launcher)) {
            throw new SkiffException(LAUNCHER_KEY + ": '" + launcher.value + "' cannot run with " + ENGINE_KEY + "="
                    + engine.value + " (allowed there: " + allowed(engine.launchers.stream().map(l -> l.value))
                    + engine.whyLaunchers + ")");
        }
        return new ModeChoice(engine, launcher);
    }

    /**
     * The messaging channels the engine of this {@code skiff.engine} value reads; none for a value no engine has, whose
     * start then fails on {@link #of}. Asked while the configuration is still being built, before {@link #of} can run.
     */
    static List<String> channelsOf(String engineValue) {
        return Engine.named(engineValue).map(e -> e.channels).orElse(List.of());
    }

    /** Every channel some engine reads, so each is switched on or off explicitly. */
    static List<String> allChannels() {
        return Arrays.stream(Engine.values()).flatMap(e -> e.channels.stream()).distinct().toList();
    }

    @Override
    public String toString() {
        return "engine " + engine.value + ", launcher " + launcher.value;
    }

    private static String allowed(Stream<String> values) {
        return values.collect(Collectors.joining(", "));
    }
}
