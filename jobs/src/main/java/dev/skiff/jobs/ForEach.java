package dev.skiff.jobs;

import java.util.Optional;

/**
 * Runs a step once per item.
 *
 * @param items          where the JSON array of items is (a run parameter or an upstream step's output), or empty
 *                       when the items are listed
 * @param list           an S3 prefix ({@code s3://bucket/prefix/}) or, in embedded mode, a local directory whose
 *                       entries are the items; empty when {@code items} is set
 * @param maxConcurrency how many items run at once
 * @param tolerated      how many failed items the step survives
 */
public record ForEach(Optional<ValueRef> items, Optional<String> list, int maxConcurrency, ToleratedFailures tolerated) {

    public ForEach {
        if (items.isPresent() == list.isPresent()) {
            throw new IllegalArgumentException("a forEach takes its items from exactly one of items and list");
        }
    }
}
