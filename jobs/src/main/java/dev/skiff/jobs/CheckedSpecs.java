package dev.skiff.jobs;

import java.util.Optional;

/**
 * Specs that passed every check, in a form a registry may keep (a cache beside its sources) and read back without
 * checking them again: the checked model's fields as a compact text ({@link KeptSpecText}). Reading it back costs the
 * model's construction and little more: no YAML, no rule, not even a JSON tree (the form kept before, whose parse
 * and mapping were most of reading 100,000 cached specs). No I/O here: where the kept form is stored is the
 * caller's business.
 *
 * <p>The kept form is only as good as the checker that made it: a keeper must drop what another version of this
 * module kept (see {@link #FORMAT}), and never keep anything that did not come from {@link #check}.
 */
public final class CheckedSpecs {

    /** Names this kept form; changed whenever what is kept changes shape. */
    public static final String FORMAT = "skiff-checked-spec-text/2";

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
        ValidationResult result = JobSpecs.check(source, text);
        return new Outcome(result, result.spec().map(KeptSpecText::write));
    }

    /**
     * The kept form of {@code spec}, which must come from {@link #check} or {@link #read}: what {@link #check} gave for
     * it. A keeper that holds many specs (the S3 registry's snapshot, 100,000 of them) holds their models, which it
     * has anyway, rather than their kept forms too, and writes the forms only when it stores them.
     */
    public static String keptForm(JobSpec spec) {
        return KeptSpecText.write(spec);
    }

    /**
     * The spec kept as {@code kept} by {@link #check}.
     *
     * @throws IllegalArgumentException when {@code kept} is no kept form (damaged or made elsewhere)
     */
    public static JobSpec read(String kept) {
        return KeptSpecText.read(kept);
    }
}
