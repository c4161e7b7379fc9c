package dev.skiff.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A tripwire for the kept form: {@link KeptSpecText} writes the model's fields one by one, so a field added to the
 * model and not to it would be lost for every spec a restart takes from the spec cache or the registry snapshot. The
 * round-trip tests of {@link CheckedSpecsTest} only catch that for a field their specs set.
 */
class KeptSpecTextFieldsTest {

    /** Every field of the model, reached from {@link JobSpec}: each is written and read by {@link KeptSpecText}. */
    private static final List<String> KEPT = List.of(
            "AfterTrigger.job",
            "AfterTrigger.parameters",
            "AfterTrigger.statuses",
            "EventTrigger.parameters",
            "EventTrigger.pattern",
            "ForEach.items",
            "ForEach.list",
            "ForEach.maxConcurrency",
            "ForEach.tolerated",
            "JobSpec.args",
            "JobSpec.capacity",
            "JobSpec.command",
            "JobSpec.description",
            "JobSpec.environment",
            "JobSpec.image",
            "JobSpec.name",
            "JobSpec.notifications",
            "JobSpec.owner",
            "JobSpec.parameters",
            "JobSpec.resources",
            "JobSpec.retries",
            "JobSpec.secrets",
            "JobSpec.steps",
            "JobSpec.tags",
            "JobSpec.timeout",
            "JobSpec.triggers",
            "Notifications.channels",
            "NotifyChannel.kind",
            "NotifyChannel.target",
            "Parameter.defaultValue",
            "Parameter.description",
            "Parameter.name",
            "Parameter.required",
            "Resources.architecture",
            "Resources.cpu",
            "Resources.ephemeralStorageGiB",
            "Resources.memory",
            "RetryPolicy.backoffRate",
            "RetryPolicy.exitCodes",
            "RetryPolicy.interval",
            "RetryPolicy.maxAttempts",
            "RetryPolicy.maxDelay",
            "RetryPolicy.retryOn",
            "Schedule.concurrency",
            "Schedule.deadline",
            "Schedule.expression",
            "Schedule.maxMisfires",
            "Schedule.misfire",
            "Schedule.syntax",
            "Schedule.timeZone",
            "StepSpec.args",
            "StepSpec.capacity",
            "StepSpec.command",
            "StepSpec.dependsOn",
            "StepSpec.environment",
            "StepSpec.forEach",
            "StepSpec.image",
            "StepSpec.name",
            "StepSpec.parameters",
            "StepSpec.resources",
            "StepSpec.retries",
            "StepSpec.secrets",
            "StepSpec.timeout",
            "StepValue.ref",
            "StepValue.text",
            "ToleratedFailures.count",
            "ToleratedFailures.percent",
            "Triggers.after",
            "Triggers.events",
            "Triggers.schedules",
            "ValueRef.name",
            "ValueRef.path",
            "ValueRef.source");

    @Test
    void shouldKeepEveryFieldOfTheModelWhichKeptSpecTextWasWrittenFor() {
        Set<String> fields = new TreeSet<>();
        walk(JobSpec.class, fields, new HashSet<>());

        assertThat(fields).as("the model's fields changed: write and read the new one in KeptSpecText (and bump"
                        + " CheckedSpecs.FORMAT), add a case to CheckedSpecsTest, then list it here")
                .containsExactlyElementsOf(KEPT);
    }

    private static void walk(Class<?> type, Set<String> fields, Set<Class<?>> seen) {
        if (!seen.add(type)) {
            return;
        }
        if (type.isRecord()) {
            for (var component : type.getRecordComponents()) {
                fields.add(type.getSimpleName() + "." + component.getName());
                reach(component.getGenericType(), fields, seen);
            }
        } else if (type.isSealed()) {
            for (Class<?> permitted : type.getPermittedSubclasses()) {
                walk(permitted, fields, seen);
            }
        }
    }

    private static void reach(Type type, Set<String> fields, Set<Class<?>> seen) {
        if (type instanceof Class<?> plain && plain.getPackageName().equals(JobSpec.class.getPackageName())) {
            walk(plain, fields, seen);
        } else if (type instanceof ParameterizedType generic) {
            reach(generic.getRawType(), fields, seen);
            for (Type argument : generic.getActualTypeArguments()) {
                reach(argument, fields, seen);
            }
        }
    }
}
