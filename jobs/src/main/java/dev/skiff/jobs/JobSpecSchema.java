package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The checked-in JSON Schema (the same file editors use), loaded once. Structural rules live
 * there and only there, so the editor and {@link JobSpecs#check} never disagree on them.
 */
final class JobSpecSchema {

    static final String RESOURCE = "/skiff/job-spec.schema.json";

    // errorMessage carries human wording for regex patterns, which the raw regex does not give.
    private static final String ERROR_MESSAGE_KEYWORD = "errorMessage";

    private static final JobSpecSchema INSTANCE = load();

    private final JsonNode root;
    private final Schema schema;

    private JobSpecSchema(JsonNode root, Schema schema) {
        this.root = root;
        this.schema = schema;
    }

    static JobSpecSchema get() {
        return INSTANCE;
    }

    /** The schema document itself, for looking up the subschema an error came from. */
    JsonNode root() {
        return root;
    }

    List<Error> validate(JsonNode document) {
        return schema.validate(document);
    }

    private static JobSpecSchema load() {
        try (InputStream in = JobSpecSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the job spec schema " + RESOURCE + " is missing from the classpath");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            var config = SchemaRegistryConfig.builder().errorMessageKeyword(ERROR_MESSAGE_KEYWORD).build();
            var registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    builder -> builder.schemaRegistryConfig(config));
            return new JobSpecSchema(root, registry.getSchema(root));
        } catch (IOException e) {
            throw new UncheckedIOException("the job spec schema " + RESOURCE + " cannot be read", e);
        }
    }
}
