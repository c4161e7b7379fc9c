package dev.skiff.orchestrator.adapter.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.jobs.Architecture;
import dev.skiff.jobs.Resources;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prices by region and architecture: the shipped figures, overrides on top, and what is refused. */
class FargatePriceTableTest {

    private static final FargatePriceTable SHIPPED = FargatePriceTable.shipped();
    private static final String P = FargatePriceTable.KEY_PREFIX;

    @Test
    void shouldShipEveryMainRegionForBothArchitectures() {
        // Given
        List<String> main = List.of("us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "eu-west-2",
                "ap-southeast-1", "ap-southeast-2", "ap-northeast-1");

        // When / Then: each complete, and ARM64 about 20% below x86 (Spot below on-demand)
        for (String region : main) {
            RegionPrices prices = SHIPPED.forRegion(region);
            FargatePrices x86 = prices.of(Architecture.X86_64).orElseThrow();
            FargatePrices arm = prices.of(Architecture.ARM64).orElseThrow();
            assertThat(arm.vcpuHour().doubleValue() / x86.vcpuHour().doubleValue()).as(region).isBetween(0.75, 0.85);
            assertThat(x86.spotVcpuHour()).as(region).isLessThan(x86.vcpuHour());
            assertThat(x86.spotGbHour()).as(region).isLessThan(x86.gbHour());
            assertThat(x86.storageGbHour()).as(region).isPositive();
        }
        assertThat(SHIPPED.taken()).matches("\\d{4}-\\d{2}-\\d{2}");
    }

    @Test
    void shouldPriceByRegionArchitectureAndStorage() {
        // Given
        var x86 = new Resources(1024, 2048, 21, Architecture.X86_64);
        var arm = new Resources(1024, 2048, 21, Architecture.ARM64);
        var bigDisk = new Resources(1024, 2048, 120, Architecture.X86_64);
        RegionPrices virginia = SHIPPED.forRegion("us-east-1");
        RegionPrices frankfurt = SHIPPED.forRegion("eu-central-1");

        // When / Then: us-east-1 list prices, 1 GB of storage above the free 20
        assertThat(virginia.hourly(x86, false)).hasValueSatisfying(h ->
                assertThat(h).isEqualByComparingTo(new BigDecimal("0.04048").add(new BigDecimal("0.00889")).add(new BigDecimal("0.000111"))));
        assertThat(virginia.hourly(arm, false)).hasValueSatisfying(h ->
                assertThat(h).isEqualByComparingTo(new BigDecimal("0.03238").add(new BigDecimal("0.00712")).add(new BigDecimal("0.000111"))));
        assertThat(virginia.hourly(bigDisk, false).orElseThrow().subtract(virginia.hourly(x86, false).orElseThrow()))
                .isEqualByComparingTo(new BigDecimal("0.000111").multiply(BigDecimal.valueOf(99)));
        assertThat(frankfurt.hourly(x86, false).orElseThrow()).isGreaterThan(virginia.hourly(x86, false).orElseThrow());
        assertThat(virginia.hourly(x86, true).orElseThrow()).isLessThan(virginia.hourly(x86, false).orElseThrow());
    }

    @Test
    void shouldOverrideOneFieldAndAddRegionFromKeys() {
        // Given
        Map<String, String> keys = new java.util.HashMap<>(Map.of(P + "us-east-1.X86_64.vcpu-hour", "0.05"));
        keys.putAll(Map.of(P + "sa-east-1.X86_64.vcpu-hour", "0.0696", P + "sa-east-1.X86_64.gb-hour", "0.0076",
                P + "sa-east-1.X86_64.spot-vcpu-hour", "0.02", P + "sa-east-1.X86_64.spot-gb-hour", "0.002",
                P + "sa-east-1.X86_64.storage-gb-hour", "0.0002"));
        keys.putAll(Map.of(P + "sa-east-1.arm64.vcpu-hour", "0.055", P + "sa-east-1.arm64.gb-hour", "0.006",
                P + "sa-east-1.arm64.spot-vcpu-hour", "0.016", P + "sa-east-1.arm64.spot-gb-hour", "0.0017",
                P + "sa-east-1.arm64.storage-gb-hour", "0.0002"));

        // When
        FargatePriceTable table = SHIPPED.withKeys(keys);

        // Then: the one field changed, the rest of us-east-1 kept
        FargatePrices virginia = table.forRegion("us-east-1").of(Architecture.X86_64).orElseThrow();
        assertThat(virginia.vcpuHour()).isEqualByComparingTo("0.05");
        assertThat(virginia.gbHour()).isEqualByComparingTo("0.004445");
        assertThat(table.forRegion("sa-east-1").of(Architecture.ARM64).orElseThrow().vcpuHour()).isEqualByComparingTo("0.055");
    }

    @Test
    void shouldReadOverridesFromFile(@TempDir Path dir) throws Exception {
        // Given
        Path file = dir.resolve("prices.json");
        Files.writeString(file, """
                {"regions": {"eu-west-1": {"ARM64": {"spot-vcpu-hour": 0.011}}}}
                """);

        // When
        FargatePriceTable table = SHIPPED.withFile(file);

        // Then
        assertThat(table.forRegion("eu-west-1").of(Architecture.ARM64).orElseThrow().spotVcpuHour()).isEqualByComparingTo("0.011");
    }

    @Test
    void shouldRefuseBadKeysNamingEachKeyValueAndRule() {
        // Given
        Map<String, String> keys = Map.of(
                P + "vcpu-hour", "0.05",
                P + "us-east-1.X86_64.vcpu-hour", "-1",
                P + "us-east-1.X86_64.gb-hour", "cheap",
                P + "us-east-1.SPARC.gb-hour", "0.1",
                P + "us-east-1.ARM64.cpu-hour", "0.1",
                P + "eu-west-3.X86_64.vcpu-hour", "0.05");

        // When / Then
        assertThatThrownBy(() -> SHIPPED.withKeys(keys))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(P + "vcpu-hour: is not a price key (a price key is " + P
                        + "<region>.<X86_64|ARM64>.<vcpu-hour|gb-hour|spot-vcpu-hour|spot-gb-hour|storage-gb-hour>)")
                .hasMessageContaining(P + "us-east-1.X86_64.vcpu-hour: -1 must be a price in USD, a number of 0 or more")
                .hasMessageContaining(P + "us-east-1.X86_64.gb-hour: cheap must be a price in USD, a number of 0 or more")
                .hasMessageContaining(P + "us-east-1.SPARC.gb-hour: SPARC is not a CPU architecture (X86_64 or ARM64)")
                .hasMessageContaining(P + "us-east-1.ARM64.cpu-hour: cpu-hour is not a price (vcpu-hour, gb-hour, spot-vcpu-hour, spot-gb-hour, storage-gb-hour)")
                .hasMessageContaining(P + "eu-west-3.X86_64: is incomplete; set also gb-hour, spot-vcpu-hour, spot-gb-hour, storage-gb-hour");
    }

    @Test
    void shouldRefuseFileThatIsNotPrices(@TempDir Path dir) throws Exception {
        // Given
        Path file = dir.resolve("prices.json");
        Files.writeString(file, "{\"regions\": {\"us-east-1\": {\"X86_64\": {\"vcpu-hour\": \"lots\"}}}}");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{regions");

        // When / Then
        assertThatThrownBy(() -> SHIPPED.withFile(file)).hasMessage(FargatePriceTable.FILE_KEY + ": " + file
                + ": regions.us-east-1.X86_64.vcpu-hour: \"lots\" must be a price in USD, a number of 0 or more");
        assertThatThrownBy(() -> SHIPPED.withFile(broken)).hasMessageStartingWith(FargatePriceTable.FILE_KEY + ": " + broken
                + ": cannot be read as JSON");
    }

    @Test
    void shouldRefuseRegionWithoutPricesRatherThanPriceItAsAnother() {
        // When / Then
        assertThatThrownBy(() -> SHIPPED.forRegion("me-south-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(P + "me-south-1: Skiff has no Fargate prices for region me-south-1 (it has ")
                .hasMessageContaining("set " + P + "me-south-1.X86_64.vcpu-hour, ")
                .hasMessageEndingWith(P + "me-south-1.ARM64.storage-gb-hour (or give them in " + FargatePriceTable.FILE_KEY + ")");
        assertThat(SHIPPED.findRegion("me-south-1").hourly(new Resources(256, 512, 21, Architecture.X86_64), false)).isEmpty();
    }
}
