package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.jobs.Architecture;
import dev.skiff.jobs.Resources;
import dev.skiff.orchestrator.port.TaskPricing;
import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Fargate prices of the region the launcher runs tasks in, for each CPU architecture it has them for. A region
 * with none prices nothing: its costs are unknown, never another region's.
 */
public record RegionPrices(String region, Map<Architecture, FargatePrices> byArchitecture) implements TaskPricing {

    public RegionPrices {
        byArchitecture = byArchitecture.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(byArchitecture));
    }

    /** A region Skiff knows no price of. */
    public static RegionPrices none(String region) {
        return new RegionPrices(region, Map.of());
    }

    public Optional<FargatePrices> of(Architecture architecture) {
        return Optional.ofNullable(byArchitecture.get(architecture));
    }

    @Override
    public Optional<BigDecimal> hourly(Resources size, boolean spot) {
        return of(size.architecture())
                .map(p -> p.hourly(size.cpu(), size.memory(), size.ephemeralStorageGiB(), spot));
    }
}
