package dev.skiff.orchestrator.config;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Bounds how deep the JSON Skiff reads may nest. Every body the API parses (runs, events) and every message the
 * intake queues carry goes through this mapper; a body nested deeper is refused with a parse error (a 400) long
 * before it could exhaust the stack. EventBridge events, job parameters and ECS task events nest a few levels.
 */
@Singleton
class JsonReadLimits implements ObjectMapperCustomizer {

    public static final int MAX_NESTING_DEPTH = 100;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
    }
}
