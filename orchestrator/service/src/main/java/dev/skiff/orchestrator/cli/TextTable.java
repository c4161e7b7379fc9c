package dev.skiff.orchestrator.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A table for a terminal: each column at least its usual width, wider when a value needs it (a long team name never
 * shifts the columns after it), numbers right-aligned, one space between columns, no trailing blanks.
 */
final class TextTable {

    private final List<String> headers = new ArrayList<>();
    private final List<Integer> widths = new ArrayList<>();
    private final List<Boolean> right = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();

    /** A column whose values start at its left edge. */
    TextTable left(String header, int width) {
        return column(header, width, false);
    }

    /** A column of numbers: its values end at its right edge. */
    TextTable right(String header, int width) {
        return column(header, width, true);
    }

    private TextTable column(String header, int width, boolean alignRight) {
        headers.add(header);
        widths.add(Math.max(width, header.length()));
        right.add(alignRight);
        return this;
    }

    TextTable row(Object... cells) {
        String[] row = new String[headers.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = String.valueOf(cells[i]);
            widths.set(i, Math.max(widths.get(i), row[i].length()));
        }
        rows.add(row);
        return this;
    }

    void print(PrintStream out) {
        out.println(line(headers.toArray(String[]::new)));
        rows.forEach(row -> out.println(line(row)));
    }

    private String line(String[] cells) {
        var line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String pad = " ".repeat(widths.get(i) - cells[i].length());
            line.append(i == 0 ? "" : " ").append(right.get(i) ? pad + cells[i] : cells[i] + pad);
        }
        return line.toString().stripTrailing();
    }
}
