package dev.skiff.orchestrator.adapter.embedded;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.skiff.jobs.JobSpec;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.StepOutcome;

/**
 * Run documents as stored JSON. The workflows records carry no Jackson annotations, so the
 * polymorphic outcome type is declared here with a mix-in.
 */
final class RunCodec {

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = StepOutcome.Succeeded.class, name = "succeeded"),
            @JsonSubTypes.Type(value = StepOutcome.Exited.class, name = "exited"),
            @JsonSubTypes.Type(value = StepOutcome.TimedOut.class, name = "timed-out"),
            @JsonSubTypes.Type(value = StepOutcome.CapacityUnavailable.class, name = "capacity-unavailable"),
            @JsonSubTypes.Type(value = StepOutcome.SpotInterrupted.class, name = "spot-interrupted"),
            @JsonSubTypes.Type(value = StepOutcome.StartFailed.class, name = "start-failed"),
            @JsonSubTypes.Type(value = StepOutcome.Lost.class, name = "lost"),
            @JsonSubTypes.Type(value = StepOutcome.Cancelled.class, name = "cancelled"),
            @JsonSubTypes.Type(value = StepOutcome.BadOutput.class, name = "bad-output")})
    private interface StepOutcomeMixin {
    }

    /** {@code isPercent()} would otherwise be written as a second "percent", a boolean the record cannot read back. */
    @com.fasterxml.jackson.annotation.JsonAutoDetect(
            isGetterVisibility = com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE)
    private interface ToleratedFailuresMixin {
    }

    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new Jdk8Module())
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addMixIn(StepOutcome.class, StepOutcomeMixin.class)
            .addMixIn(dev.skiff.jobs.ToleratedFailures.class, ToleratedFailuresMixin.class);

    String encode(Object runOrSpec) {
        try {
            return mapper.writeValueAsString(runOrSpec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + runOrSpec.getClass().getSimpleName(), e);
        }
    }

    Run decodeRun(String json) {
        return decode(json, Run.class);
    }

    JobSpec decodeSpec(String json) {
        return decode(json, JobSpec.class);
    }

    @SuppressWarnings("unchecked")
    java.util.Map<String, String> decodeEnvironment(String json) {
        return decode(json, java.util.Map.class);
    }

    private <T> T decode(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot decode a stored " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
