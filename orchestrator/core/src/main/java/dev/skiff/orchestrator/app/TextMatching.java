package dev.skiff.orchestrator.app;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Whether the intake may match an event's text before reading its tree, given the mapper that reads the tree. The
 * text is read by event-ruler's own Jackson reader, with Jackson's default limits; text it accepts must be text the
 * mapper accepts too, or an event matching nothing would be taken in where it used to be refused. So every limit of
 * the mapper must be at least the default, except the nesting depth, which {@link EventEnvelope} checks itself (the
 * service allows 100), and the mapper must not refuse duplicate keys.
 */
final class TextMatching {

    private final boolean on;
    private final int maxDepth;
    /** The limits of event-ruler's reader (Jackson's defaults), which text read strictly must keep. */
    private final StreamReadConstraints eventRulerLimits;

    private TextMatching(boolean on, int maxDepth, StreamReadConstraints eventRulerLimits) {
        this.on = on;
        this.maxDepth = maxDepth;
        this.eventRulerLimits = eventRulerLimits;
    }

    static TextMatching of(ObjectMapper mapper) {
        StreamReadConstraints limits = mapper.getFactory().streamReadConstraints();
        StreamReadConstraints defaults = StreamReadConstraints.defaults();
        boolean asLoose = limits.getMaxStringLength() >= defaults.getMaxStringLength()
                && limits.getMaxNumberLength() >= defaults.getMaxNumberLength()
                && limits.getMaxNameLength() >= defaults.getMaxNameLength()
                && atLeast(limits.getMaxDocumentLength(), defaults.getMaxDocumentLength())
                && atLeast(limits.getMaxTokenCount(), defaults.getMaxTokenCount());
        boolean duplicatesAllowed = !mapper.getFactory().isEnabled(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                && !mapper.isEnabled(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        return new TextMatching(asLoose && duplicatesAllowed, Math.min(limits.getMaxNestingDepth(), defaults.getMaxNestingDepth()), defaults);
    }

    /** A limit of 0 or less means none. */
    private static boolean atLeast(long limit, long defaultLimit) {
        return limit <= 0 || defaultLimit > 0 && limit >= defaultLimit;
    }

    /**
     * The envelope to match the text by, or null to read the tree first. It is read strictly when it can be (one pass
     * either way, for nearly every event), so that the intake knows whether event-ruler surely reads the text: only
     * then may it answer the event without event-ruler, since event-ruler refusing text that is not JSON is what
     * sends it to the tree reader, to be refused.
     */
    EventEnvelope envelope(String body) {
        if (!on || body == null) {
            return null;
        }
        EventEnvelope strict = EventEnvelope.readStrictly(body, maxDepth, eventRulerLimits);
        return strict != null ? strict : EventEnvelope.read(body, maxDepth);
    }
}
