package dev.skiff.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps the JSON Schema in step with the model records. Each record maps to one schema object;
 * each component maps to a property of it, except where the table below says otherwise:
 * <pre>
 *   Resources.ephemeralStorageGiB  ↔ resources.ephemeralStorage
 *   RetryPolicy.interval           ↔ retries.backoff.interval
 *   RetryPolicy.backoffRate        ↔ retries.backoff.rate
 *   RetryPolicy.maxDelay           ↔ retries.backoff.maxDelay
 *   Parameter.name                 ↔ the key in parameters (not a property)
 *   Parameter.defaultValue         ↔ parameters.X.default
 *   Schedule.expression            ↔ triggers.schedules[i].cron
 *   Schedule.syntax                ↔ derived from cron (not a property)
 *   Schedule.timeZone              ↔ triggers.schedules[i].timezone
 *   ForEach.tolerated              ↔ steps[i].forEach.toleratedFailures
 *   JobSpec.notifications          ↔ notify (its properties are NotifyOn's spec names: NotifyOnSchemaTest)
 *   AfterTrigger.statuses          ↔ triggers.after[i].status
 * </pre>
 */
class JobSpecSchemaTest {

    private static final String KEY = "<map key>";
    private static final String DERIVED = "<derived>";

    private static final JsonNode SCHEMA = JobSpecSchema.get().root();

    /** Record → (schema object pointer, component → property path under it). */
    private static final Map<Class<? extends Record>, Map.Entry<String, Map<String, String>>> MAPPING = new LinkedHashMap<>();

    static {
        MAPPING.put(JobSpec.class, Map.entry("", with(identity("name", "description", "owner", "image", "command", "args",
                "environment", "secrets", "resources", "capacity", "timeout", "retries", "parameters", "tags", "triggers",
                "steps"), "notifications", "notify")));
        MAPPING.put(StepSpec.class, Map.entry("/$defs/step", identity("name", "dependsOn", "image", "command", "args",
                "environment", "secrets", "resources", "capacity", "timeout", "retries", "parameters", "forEach")));
        MAPPING.put(ForEach.class, Map.entry("/$defs/forEach", with(identity("items", "list", "maxConcurrency"),
                "tolerated", "toleratedFailures")));
        MAPPING.put(Resources.class, Map.entry("/properties/resources", with(identity("cpu", "memory", "architecture"),
                "ephemeralStorageGiB", "ephemeralStorage")));
        MAPPING.put(RetryPolicy.class, Map.entry("/properties/retries", with(with(with(
                identity("maxAttempts", "retryOn", "exitCodes"),
                "interval", "backoff.interval"), "backoffRate", "backoff.rate"), "maxDelay", "backoff.maxDelay")));
        MAPPING.put(Parameter.class, Map.entry("/$defs/parameter", with(with(identity("description", "required"),
                "name", KEY), "defaultValue", "default")));
        MAPPING.put(Triggers.class, Map.entry("/properties/triggers", identity("schedules", "events", "after")));
        MAPPING.put(AfterTrigger.class, Map.entry("/$defs/after", with(identity("job", "parameters"), "statuses", "status")));
        MAPPING.put(Schedule.class, Map.entry("/$defs/schedule", with(with(with(
                identity("misfire", "maxMisfires", "concurrency", "deadline"),
                "expression", "cron"), "syntax", DERIVED), "timeZone", "timezone")));
        MAPPING.put(EventTrigger.class, Map.entry("/$defs/event", identity("pattern", "parameters")));
    }

    @Test
    void shouldMapEveryRecordComponentToASchemaPropertyAndBack() {
        MAPPING.forEach((record, target) -> {
            // Given the record's components and the schema object it maps to
            Set<String> components = Arrays.stream(record.getRecordComponents())
                    .map(c -> c.getName()).collect(Collectors.toCollection(TreeSet::new));
            JsonNode object = SCHEMA.at(target.getKey());
            Map<String, String> byComponent = target.getValue();

            // Then the table covers exactly the components
            assertThat(byComponent.keySet()).as(record.getSimpleName() + " components").containsExactlyInAnyOrderElementsOf(components);

            // And the mapped properties are exactly the schema's properties
            Set<String> mapped = byComponent.values().stream()
                    .filter(p -> !p.equals(KEY) && !p.equals(DERIVED)).collect(Collectors.toCollection(TreeSet::new));
            assertThat(leafProperties(object, "")).as(record.getSimpleName() + " schema properties at " + target.getKey())
                    .containsExactlyInAnyOrderElementsOf(mapped);
        });
    }

    @Test
    void shouldOfferEveryNotifyMomentAndNoOther() {
        assertThat(leafProperties(SCHEMA.at("/properties/notify"), "")).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(NotifyOn.values()).map(NotifyOn::specName).toList());
    }

    @Test
    void shouldForbidUnknownFieldsWhereverTheSchemaDefinesProperties() {
        assertThat(objectsWithProperties(SCHEMA, "")).isNotEmpty().allSatisfy(pointer ->
                assertThat(SCHEMA.at(pointer).path("additionalProperties").asBoolean(true)).as(pointer).isFalse());
    }

    @Test
    void shouldDescribeEveryPropertyWhenEditorsShowHelp() {
        assertThat(objectsWithProperties(SCHEMA, "")).allSatisfy(pointer -> SCHEMA.at(pointer).path("properties").fields()
                .forEachRemaining(p -> assertThat(p.getValue().has("description")).as(pointer + "/" + p.getKey()).isTrue()));
    }

    @Test
    void shouldShowTheDefaultsTheParserApplies() {
        assertThat(SCHEMA.at("/properties/timeout/default").asText()).satisfies(
                d -> assertThat(Durations.parse(d)).contains(SpecDefaults.TIMEOUT));
        assertThat(Durations.parse(SCHEMA.at("/properties/retries/properties/backoff/properties/interval/default").asText()))
                .contains(SpecDefaults.INTERVAL);
        assertThat(Durations.parse(SCHEMA.at("/properties/retries/properties/backoff/properties/maxDelay/default").asText()))
                .contains(SpecDefaults.MAX_DELAY);
        assertThat(SCHEMA.at("/properties/retries/properties/maxAttempts/default").asInt()).isEqualTo(SpecDefaults.MAX_ATTEMPTS);
        assertThat(SCHEMA.at("/properties/resources/properties/cpu/default").asInt()).isEqualTo(SpecDefaults.CPU);
        assertThat(SCHEMA.at("/properties/capacity/default").asText()).isEqualTo(SpecDefaults.CAPACITY.specName());
        assertThat(SCHEMA.at("/$defs/schedule/properties/maxMisfires/default").asInt()).isEqualTo(SpecDefaults.MAX_MISFIRES);
        assertThat(SCHEMA.at("/$defs/schedule/properties/misfire/default").asText()).isEqualTo(SpecDefaults.MISFIRE.specName());
        assertThat(SCHEMA.at("/$defs/schedule/properties/concurrency/default").asText()).isEqualTo(SpecDefaults.CONCURRENCY.specName());
        assertThat(SCHEMA.at("/$defs/forEach/properties/maxConcurrency/default").asInt()).isEqualTo(SpecDefaults.MAX_CONCURRENCY);
        assertThat(SpecDefaults.TIMEOUT).isEqualTo(Duration.ofHours(1));
    }

    @ParameterizedTest
    @MethodSource("dev.skiff.jobs.ExamplesTest#examples")
    void shouldValidateAgainstTheSchemaAloneWhenExampleIsShipped(Path example) throws Exception {
        // Given an example read as editors read it
        JsonNode document = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(example));

        // When validated by the schema library directly
        // Then there are no errors
        assertThat(JobSpecSchema.get().validate(document)).isEmpty();
    }

    /** Property paths of an object, descending into plain groupings (backoff) but not into mapped records. */
    private static Set<String> leafProperties(JsonNode object, String prefix) {
        Set<String> names = new TreeSet<>();
        object.path("properties").fields().forEachRemaining(p -> {
            if (p.getKey().equals("backoff")) {
                names.addAll(leafProperties(p.getValue(), prefix + p.getKey() + "."));
            } else {
                names.add(prefix + p.getKey());
            }
        });
        return names;
    }

    private static Set<String> objectsWithProperties(JsonNode node, String pointer) {
        Set<String> found = new TreeSet<>();
        if (node.has("properties")) {
            found.add(pointer);
        }
        node.fields().forEachRemaining(f -> {
            if (f.getValue().isObject()) {
                found.addAll(objectsWithProperties(f.getValue(), pointer + "/" + f.getKey().replace("~", "~0").replace("/", "~1")));
            }
        });
        return found;
    }

    private static Map<String, String> identity(String... names) {
        return Arrays.stream(names).collect(Collectors.toMap(n -> n, n -> n, (a, b) -> a, LinkedHashMap::new));
    }

    private static Map<String, String> with(Map<String, String> map, String component, String property) {
        var copy = new LinkedHashMap<>(map);
        copy.put(component, property);
        return copy;
    }
}
