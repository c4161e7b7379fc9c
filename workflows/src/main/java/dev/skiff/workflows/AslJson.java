package dev.skiff.workflows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes a definition as two-space indented JSON with '\n' line ends and one array element per
 * line, keys in insertion order: the same definition always gives the same bytes on every
 * platform, so golden files and deployed definitions diff line by line.
 */
final class AslJson {

    private static final ObjectWriter WRITER;

    static {
        var indenter = new DefaultIndenter("  ", "\n");
        var printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        WRITER = new ObjectMapper().writer(printer);
    }

    private AslJson() {
    }

    static String write(ObjectNode definition) {
        try {
            return WRITER.writeValueAsString(definition) + "\n";
        } catch (JsonProcessingException e) {
            // A tree of plain nodes always serialises; failing here means a broken Jackson.
            throw new IllegalStateException("cannot write ASL definition", e);
        }
    }
}
