package dev.skiff.benchmarks;

import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/** Reads figures out of a service's {@code /q/metrics} page (Prometheus text format). */
final class PrometheusText {

    private final String metrics;

    PrometheusText(String metrics) {
        this.metrics = metrics;
    }

    /** A timer's median and 99th percentile (over its recent window), count and mean (over the whole run). */
    String timer(String name, String outcome) {
        String label = "outcome=\"" + outcome + "\"";
        OptionalDouble p50 = sample(name, label, "quantile=\"0.5\"");
        OptionalDouble p99 = sample(name, label, "quantile=\"0.99\"");
        OptionalDouble count = sample(name + "_count", label);
        OptionalDouble total = sample(name + "_sum", label);
        if (p50.isEmpty() || p99.isEmpty() || count.isEmpty() || total.isEmpty()) {
            return "(no " + name + "{" + label + "} in /q/metrics: " + metrics.lines().filter(l -> l.startsWith(name))
                    .collect(Collectors.joining("; ")) + ")";
        }
        return String.format("p50 %.1f ms, p99 %.1f ms (count %.0f, mean %.1f ms)", p50.getAsDouble() * 1e3,
                p99.getAsDouble() * 1e3, count.getAsDouble(), total.getAsDouble() / count.getAsDouble() * 1e3);
    }

    /** The value of the first sample of {@code name} that has every label given. */
    OptionalDouble sample(String name, String... labels) {
        return metrics.lines().filter(l -> l.startsWith(name + "{") && List.of(labels).stream().allMatch(l::contains))
                .mapToDouble(PrometheusText::value).findFirst();
    }

    /** The sum of every sample of {@code name}, whatever its labels. */
    double sum(String name) {
        return metrics.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(PrometheusText::value).sum();
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf('}') + 1).trim().split("\\s+")[0]);
    }
}
