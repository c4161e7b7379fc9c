package dev.skiff.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * Specs that passed every check, in a form a registry may keep (a cache beside its sources) and read back without
 * checking them again: the checked document as compact JSON, which is built into the model as a check builds it.
 * Reading it back costs a JSON parse and the model's construction, a fraction of YAML and every rule (about 70 us a
 * spec). No I/O here: where the kept form is stored is the caller's business.
 *
 * <p>The kept form is only as good as the checker that made it: a keeper must drop what another version of this
 * module kept (see {@link #FORMAT}), and never keep anything that did not come from {@link #check}.
 */
public final class CheckedSpecs {

    /** Names this kept form; changed whenever what is kept changes shape. */
    public static final String FORMAT = "skiff-checked-spec-json/1";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A check's outcome and, when it is valid, the form to keep.
     *
     * @param kept present exactly when the result is valid
     */
    public record Outcome(ValidationResult result, Optional<String> kept) {
    }

    private CheckedSpecs() {
    }

    /** Checks as {@link JobSpecs#check} does, and gives the valid spec's kept form. */
    public static Outcome check(String source, String text) {
        JobSpecs.Checked checked = JobSpecs.checkedTree(source, text);
        return new Outcome(checked.result(), checked.tree().map(CheckedSpecs::write));
    }

    /**
     * The spec kept as {@code kept} by {@link #check}.
     *
     * @throws IllegalArgumentException when {@code kept} is no kept form (damaged or made elsewhere)
     */
    public static JobSpec read(String kept) {
        try {
            JsonNode tree = JSON.readTree(kept);
            if (tree == null || !tree.isObject()) {
                throw new IllegalArgumentException("not a kept job spec: no JSON object");
            }
            return JobSpecMapper.map(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a kept job spec: " + e.getOriginalMessage(), e);
        } catch (RuntimeException e) { // the mapper trusts its tree: a damaged one fails anyhow
            throw new IllegalArgumentException("not a kept job spec: " + e, e);
        }
    }

    private static String write(JsonNode tree) {
        try {
            return JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a checked tree is always JSON", e);
        }
    }
}
