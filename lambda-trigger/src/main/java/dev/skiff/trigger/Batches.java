package dev.skiff.trigger;

import java.util.ArrayList;
import java.util.List;

/** Splits a list into the chunks a batch API accepts (PutEvents and SendMessageBatch: 10 entries). */
final class Batches {

    static final int MAX_ENTRIES = 10;

    private Batches() {
    }

    static <T> List<List<T>> of(List<T> items) {
        var chunks = new ArrayList<List<T>>();
        for (int i = 0; i < items.size(); i += MAX_ENTRIES) {
            chunks.add(items.subList(i, Math.min(items.size(), i + MAX_ENTRIES)));
        }
        return chunks;
    }
}
