package dev.skiff.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.skiff.jobs.Architecture;
import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.FailureKind;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.Resources;
import dev.skiff.jobs.RetryPolicy;
import dev.skiff.jobs.Triggers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * Builds {@link JobSpec}s from the golden case files, applying the job-spec schema's defaults for
 * the fields the compiler reads (name, capacity, timeout, retries). A stand-in until
 * {@code JobSpecs.parse} is available to this module; it neither validates nor reads triggers.
 */
final class CaseSpecs {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern UNITS = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    private CaseSpecs() {
    }

    static JobSpec parse(String yaml) {
        try {
            return toSpec(YAML.readTree(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JobSpec toSpec(JsonNode doc) {
        return new JobSpec(
                doc.path("name").asText(),
                doc.path("description").asText(""),
                doc.path("owner").asText(),
                doc.path("image").asText(),
                strings(doc.path("command")),
                strings(doc.path("args")),
                Map.of(),
                Map.of(),
                new Resources(256, 512, 21, Architecture.X86_64),
                capacity(doc.path("capacity").asText("spot-first")),
                duration(doc.path("timeout").asText("1h")),
                retries(doc.path("retries")),
                List.of(),
                Map.of(),
                Triggers.none());
    }

    private static RetryPolicy retries(JsonNode node) {
        JsonNode backoff = node.path("backoff");
        Set<FailureKind> retryOn = node.has("retryOn")
                ? kinds(node.path("retryOn"))
                : Set.of(FailureKind.START_FAILURE, FailureKind.LOST);
        var exitCodes = new HashSet<Integer>();
        node.path("exitCodes").forEach(code -> exitCodes.add(code.asInt()));
        return new RetryPolicy(
                node.path("maxAttempts").asInt(2),
                duration(backoff.path("interval").asText("30s")),
                backoff.path("rate").asDouble(2.0),
                duration(backoff.path("maxDelay").asText("10m")),
                retryOn,
                exitCodes);
    }

    private static Set<FailureKind> kinds(JsonNode names) {
        var kinds = new HashSet<FailureKind>();
        names.forEach(name -> kinds.add(Arrays.stream(FailureKind.values())
                .filter(kind -> kind.specName().equals(name.asText()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown failure kind " + name))));
        return kinds;
    }

    private static Capacity capacity(String name) {
        return Arrays.stream(Capacity.values())
                .filter(capacity -> capacity.specName().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown capacity " + name));
    }

    private static Duration duration(String text) {
        if (text.startsWith("P")) {
            return Duration.parse(text);
        }
        var matcher = UNITS.matcher(text);
        if (text.isEmpty() || !matcher.matches()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        long[] unitSeconds = {86_400, 3_600, 60, 1};
        long seconds = 0;
        for (int i = 0; i < unitSeconds.length; i++) {
            if (matcher.group(i + 1) != null) {
                seconds += Long.parseLong(matcher.group(i + 1)) * unitSeconds[i];
            }
        }
        return Duration.ofSeconds(seconds);
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
