package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds the model from a tree that passed every check, filling in defaults. It relies on that:
 * given an unchecked tree it may throw.
 */
final class JobSpecMapper {

    private JobSpecMapper() {
    }

    static JobSpec map(JsonNode root, CanonicalPatterns patterns) {
        Container job = container(root);
        List<StepSpec> steps = root.has("steps")
                ? SpecNodes.items(root.get("steps")).stream().map(step -> step(step, root, job)).toList()
                : List.of(step(MAIN_STEP, root, job));
        return new JobSpec(
                root.get("name").textValue(),
                root.path("description").asText(""),
                root.get("owner").textValue(),
                job.image(),
                job.command(),
                job.args(),
                job.environment(),
                job.secrets(),
                job.resources(),
                job.capacity(),
                job.timeout(),
                job.retries(),
                parameters(root.path("parameters")),
                stringMap(root.path("tags")),
                triggers(root.path("triggers"), root.path("parameters"), patterns),
                steps,
                notifications(root.path("notify")));
    }

    /** The step a job without steps runs: nothing of its own, everything from the job. */
    private static final JsonNode MAIN_STEP = JsonNodeFactory.instance.objectNode()
            .put("name", StepSpec.MAIN);

    /** What a step runs, as the job gives it: mapped once, and taken by each step that does not give its own. */
    private record Container(String image, List<String> command, List<String> args, Map<String, String> environment,
            Map<String, String> secrets, Resources resources, Capacity capacity, Duration timeout, RetryPolicy retries) {
    }

    private static Container container(JsonNode job) {
        return new Container(
                job.path("image").asText(""),
                strings(job.path("command")),
                strings(job.path("args")),
                stringMap(job.path("environment")),
                stringMap(job.path("secrets")),
                resources(job.path("resources")),
                capacity(job.path("capacity")),
                duration(job.path("timeout"), SpecDefaults.TIMEOUT),
                retries(job.path("retries")));
    }

    /** A step, each field it does not give taken whole from the job (its image null when neither gives one). */
    private static StepSpec step(JsonNode step, JsonNode root, Container job) {
        return new StepSpec(
                step.get("name").textValue(),
                strings(step.path("dependsOn")),
                step.has("image") ? step.get("image").textValue() : root.path("image").textValue(),
                step.has("command") ? strings(step.get("command")) : job.command(),
                step.has("args") ? strings(step.get("args")) : job.args(),
                step.has("environment") ? stringMap(step.get("environment")) : job.environment(),
                step.has("secrets") ? stringMap(step.get("secrets")) : job.secrets(),
                step.has("resources") ? resources(step.get("resources")) : job.resources(),
                step.has("capacity") ? capacity(step.get("capacity")) : job.capacity(),
                step.has("timeout") ? duration(step.get("timeout"), SpecDefaults.TIMEOUT) : job.timeout(),
                step.has("retries") ? retries(step.get("retries")) : job.retries(),
                stepValues(step.path("parameters")),
                step.has("forEach") ? Optional.of(forEach(step.get("forEach"))) : Optional.empty());
    }

    /** The step's own field when it has one, else the job's (missing when neither has it). */
    static JsonNode inherited(JsonNode step, JsonNode job, String field) {
        return step.has(field) ? step.get(field) : job.path(field);
    }

    private static ForEach forEach(JsonNode node) {
        return new ForEach(
                Optional.ofNullable(node.get("items")).map(items -> ValueRef.parse(items.textValue()).orElseThrow()),
                Optional.ofNullable(node.get("list")).map(JsonNode::textValue),
                node.path("maxConcurrency").asInt(SpecDefaults.MAX_CONCURRENCY),
                ToleratedFailures.parse(node.path("toleratedFailures")).orElse(ToleratedFailures.NONE));
    }

    private static Map<String, StepValue> stepValues(JsonNode node) {
        Map<String, StepValue> values = new LinkedHashMap<>();
        SpecNodes.fields(node).forEach(e -> values.put(e.getKey(), StepValue.of(e.getValue().textValue())));
        return values;
    }

    private static Capacity capacity(JsonNode node) {
        return enumValue(node, Capacity.values(), Capacity::specName, SpecDefaults.CAPACITY);
    }

    private static Resources resources(JsonNode node) {
        int cpu = node.path("cpu").asInt(SpecDefaults.CPU);
        return new Resources(
                cpu,
                node.path("memory").asInt(FargateSizes.smallestMemory(cpu)),
                node.path("ephemeralStorage").asInt(SpecDefaults.EPHEMERAL_STORAGE_GIB),
                node.has("architecture") ? Architecture.valueOf(node.get("architecture").textValue()) : SpecDefaults.ARCHITECTURE);
    }

    private static RetryPolicy retries(JsonNode node) {
        JsonNode backoff = node.path("backoff");
        Set<FailureKind> retryOn = node.has("retryOn")
                ? SpecNodes.items(node.get("retryOn")).stream()
                        .map(kind -> SpecEnums.bySpecName(FailureKind.values(), FailureKind::specName, kind.textValue()))
                        .collect(Collectors.toSet())
                : SpecDefaults.RETRY_ON;
        return new RetryPolicy(
                node.path("maxAttempts").asInt(SpecDefaults.MAX_ATTEMPTS),
                duration(backoff.path("interval"), SpecDefaults.INTERVAL),
                backoff.path("rate").asDouble(SpecDefaults.BACKOFF_RATE),
                duration(backoff.path("maxDelay"), SpecDefaults.MAX_DELAY),
                retryOn,
                SpecNodes.items(node.path("exitCodes")).stream().map(JsonNode::intValue).collect(Collectors.toSet()));
    }

    private static List<Parameter> parameters(JsonNode node) {
        return SpecNodes.fields(node).stream()
                .map(p -> new Parameter(
                        p.getKey(),
                        p.getValue().path("description").asText(""),
                        Optional.ofNullable(p.getValue().get("default")).map(JsonNode::textValue),
                        p.getValue().path("required").asBoolean(false)))
                .toList();
    }

    private static Triggers triggers(JsonNode node, JsonNode declared, CanonicalPatterns patterns) {
        // Loops, not streams: a registry maps every spec it reads, and the pipelines made this a large JIT compilation.
        List<Schedule> schedules = new ArrayList<>();
        for (JsonNode schedule : SpecNodes.items(node.path("schedules"))) {
            schedules.add(schedule(schedule));
        }
        List<EventTrigger> events = new ArrayList<>();
        for (JsonNode event : SpecNodes.items(node.path("events"))) {
            events.add(new EventTrigger(patterns.of(event.get("pattern")), stringMap(event.path("parameters"))));
        }
        List<AfterTrigger> after = new ArrayList<>();
        for (JsonNode trigger : SpecNodes.items(node.path("after"))) {
            after.add(after(trigger, declared));
        }
        return new Triggers(schedules, events, after);
    }

    /** Without parameters, each declared parameter is taken from the upstream run's parameter of the same name. */
    private static AfterTrigger after(JsonNode node, JsonNode declared) {
        JsonNode status = node.path("status");
        List<RunEvents.Kind> statuses = status.isMissingNode() ? List.of(RunEvents.Kind.SUCCEEDED)
                : (status.isArray() ? SpecNodes.items(status) : List.of(status)).stream()
                        .map(s -> RunEvents.Kind.byName(s.textValue()).orElseThrow()).toList();
        Map<String, String> parameters = new LinkedHashMap<>();
        if (node.has("parameters")) {
            parameters.putAll(stringMap(node.get("parameters")));
        } else {
            SpecNodes.fieldNames(declared).forEach(name -> parameters.put(name, "$.detail." + RunEvents.PARAMETERS + "." + name));
        }
        return new AfterTrigger(node.get("job").textValue(), statuses, parameters);
    }

    private static Notifications notifications(JsonNode node) {
        if (node.isMissingNode()) {
            return Notifications.none();
        }
        Map<NotifyOn, List<NotifyChannel>> channels = new java.util.EnumMap<>(NotifyOn.class);
        for (NotifyOn moment : NotifyOn.values()) {
            channels.put(moment, SpecNodes.items(node.path(moment.specName())).stream()
                    .map(c -> NotifyChannel.parse(c.textValue()).channel().orElseThrow()).toList());
        }
        return new Notifications(channels);
    }

    private static Schedule schedule(JsonNode node) {
        String expression = node.get("cron").textValue();
        return new Schedule(
                expression,
                CronExpressions.detect(expression),
                node.has("timezone") ? ZoneId.of(node.get("timezone").textValue()) : SpecDefaults.TIME_ZONE,
                enumValue(node.path("misfire"), MisfirePolicy.values(), MisfirePolicy::specName, SpecDefaults.MISFIRE),
                node.path("maxMisfires").asInt(SpecDefaults.MAX_MISFIRES),
                enumValue(node.path("concurrency"), ConcurrencyPolicy.values(), ConcurrencyPolicy::specName, SpecDefaults.CONCURRENCY),
                node.has("deadline") ? Optional.of(duration(node.get("deadline"), Duration.ZERO)) : Optional.empty());
    }

    private static Duration duration(JsonNode node, Duration fallback) {
        return node.isTextual() ? Durations.parse(node.textValue()).orElseThrow() : fallback;
    }

    private static <E extends Enum<E>> E enumValue(JsonNode node, E[] values, Function<E, String> specName, E fallback) {
        return node.isTextual() ? SpecEnums.bySpecName(values, specName, node.textValue()) : fallback;
    }

    private static List<String> strings(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            return List.of();
        }
        List<String> strings = new ArrayList<>(node.size());
        node.elements().forEachRemaining(item -> strings.add(item.textValue()));
        return strings;
    }

    private static Map<String, String> stringMap(JsonNode node) {
        if (!node.isObject() || node.isEmpty()) {
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().textValue()));
        return map;
    }
}
