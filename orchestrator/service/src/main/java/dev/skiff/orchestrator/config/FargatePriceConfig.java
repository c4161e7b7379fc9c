package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.adapter.ecs.FargatePriceTable;
import dev.skiff.orchestrator.adapter.ecs.RegionPrices;
import dev.skiff.orchestrator.domain.SkiffException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;

/**
 * The Fargate prices the launcher estimates each attempt's cost with: the shipped figures of the cluster's region,
 * with {@code skiff.fargate.prices-file} and then single {@code skiff.fargate.prices.<region>.<arch>.<field>} keys on
 * top. A region with no complete prices refuses the start: its costs would be unknown, and pricing it as another
 * region would be wrong without a word.
 */
final class FargatePriceConfig {

    private FargatePriceConfig() {
    }

    /**
     * Every {@code skiff.fargate.prices.*} key the configuration has, from any source that lists its names (properties
     * files, system properties; the environment's names are not dotted, so a container gives a file instead).
     */
    static Map<String, String> keys(Config config) {
        var keys = new TreeMap<String, String>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(FargatePriceTable.KEY_PREFIX)) {
                config.getOptionalValue(name, String.class).ifPresent(value -> keys.put(name, value));
            }
        }
        return keys;
    }

    /**
     * The prices of the region.
     *
     * @throws SkiffException naming every wrong key, or the region's missing prices
     */
    static RegionPrices forRegion(FargateConfig fargate, Config config, String region) {
        FargatePriceTable table = table(fargate, config);
        try {
            return table.forRegion(region);
        } catch (IllegalArgumentException e) {
            throw new SkiffException(e.getMessage(), e);
        }
    }

    /**
     * Refuses wrong price keys, and a region with no prices when the region is known before any client is built
     * ({@code skiff.aws.region}, else {@code AWS_REGION} or the profile); called with the other start checks.
     */
    static void check(FargateConfig fargate, Config config) {
        table(fargate, config);
        region(config).ifPresent(region -> forRegion(fargate, config, region));
    }

    private static FargatePriceTable table(FargateConfig fargate, Config config) {
        try {
            FargatePriceTable table = FargatePriceTable.shipped();
            if (fargate.pricesFile().isPresent()) {
                table = table.withFile(fargate.pricesFile().get());
            }
            return table.withKeys(keys(config));
        } catch (IllegalArgumentException e) {
            throw new SkiffException(e.getMessage(), e);
        }
    }

    private static Optional<String> region(Config config) {
        Optional<String> configured = config.getOptionalValue("skiff.aws.region", String.class);
        if (configured.isPresent()) {
            return configured;
        }
        // The chain's cheap links only (no instance metadata at start); the launcher checks the region its client has.
        try {
            return Optional.of(new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider())
                    .getRegion().id());
        } catch (SdkClientException unknown) {
            return Optional.empty();
        }
    }
}
