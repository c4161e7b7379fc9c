package dev.skiff.jobs;

/** Builds the field paths violations name: dots between fields, [i] for list items. */
final class SpecPaths {

    private SpecPaths() {
    }

    static String field(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    static String item(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
