package dev.skiff.orchestrator.adapter.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.Architecture;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Fargate prices by region and CPU architecture: the figures Skiff ships ({@value #SHIPPED}, with the date they were
 * taken and their source), with a file's and then single keys' overrides on top, field by field. Every problem of an
 * override is named with its key (or file and path), its value and the rule, all at once.
 */
public final class FargatePriceTable {

    /** The keys of single prices: {@code skiff.fargate.prices.<region>.<X86_64|ARM64>.<field>}. */
    public static final String KEY_PREFIX = "skiff.fargate.prices.";
    /** The key of a file of prices in the shipped file's shape. */
    public static final String FILE_KEY = "skiff.fargate.prices-file";
    static final String SHIPPED = "skiff/fargate-prices.json";
    static final List<String> FIELDS = List.of("vcpu-hour", "gb-hour", "spot-vcpu-hour", "spot-gb-hour", "storage-gb-hour");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");
    private static final String KEY_RULE = "a price key is " + KEY_PREFIX + "<region>.<"
            + Arrays.stream(Architecture.values()).map(Enum::name).collect(Collectors.joining("|")) + ">.<"
            + String.join("|", FIELDS) + ">";

    /** region → architecture → field → USD; a region's fields may be partial until checked. */
    private final Map<String, Map<Architecture, Map<String, BigDecimal>>> prices;
    private final String taken;

    private FargatePriceTable(Map<String, Map<Architecture, Map<String, BigDecimal>>> prices, String taken) {
        this.prices = prices;
        this.taken = taken;
    }

    /** The figures Skiff ships. */
    public static FargatePriceTable shipped() {
        try (InputStream in = FargatePriceTable.class.getClassLoader().getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new IllegalStateException(SHIPPED + " is missing from the class path");
            }
            JsonNode root = JSON.readTree(in);
            var problems = new ArrayList<String>();
            var table = new FargatePriceTable(new TreeMap<>(), root.path("taken").asText("unknown"))
                    .withDocument(root, SHIPPED, problems);
            if (!problems.isEmpty()) {
                throw new IllegalStateException(String.join("; ", problems));
            }
            return table;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SHIPPED, e);
        }
    }

    /** The date the shipped figures were taken. */
    public String taken() {
        return taken;
    }

    /**
     * These prices with a file's on top.
     *
     * @throws IllegalArgumentException naming every problem of the file
     */
    public FargatePriceTable withFile(Path file) {
        String where = FILE_KEY + ": " + file;
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": cannot be read as JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        var problems = new ArrayList<String>();
        var table = copy().withDocument(root, where, problems);
        return checked(table, problems);
    }

    /**
     * These prices with single keys on top.
     *
     * @param keys full keys ({@value #KEY_PREFIX}...) and their values
     * @throws IllegalArgumentException naming every key that is not a price key or not a price
     */
    public FargatePriceTable withKeys(Map<String, String> keys) {
        var table = copy();
        var problems = new ArrayList<String>();
        new TreeMap<>(keys).forEach((key, value) -> {
            String[] parts = key.startsWith(KEY_PREFIX) ? key.substring(KEY_PREFIX.length()).split("\\.", -1) : new String[0];
            if (parts.length != 3) {
                problems.add(key + ": is not a price key (" + KEY_RULE + ")");
                return;
            }
            table.put(key, parts[0], parts[1], parts[2], value, problems);
        });
        return checked(table, problems);
    }

    /**
     * The prices of one region, for each architecture.
     *
     * @throws IllegalArgumentException when the region has no complete prices for every architecture: costs would be
     *                                  unknown (or another region's), so the launcher is refused instead
     */
    public RegionPrices forRegion(String region) {
        Map<Architecture, Map<String, BigDecimal>> known = prices.getOrDefault(region, Map.of());
        var missing = new ArrayList<String>();
        for (Architecture arch : Architecture.values()) {
            for (String field : FIELDS) {
                if (!known.getOrDefault(arch, Map.of()).containsKey(field)) {
                    missing.add(KEY_PREFIX + region + "." + arch + "." + field);
                }
            }
        }
        if (!missing.isEmpty()) {
            String why = known.isEmpty()
                    ? "Skiff has no Fargate prices for region " + region + " (it has " + String.join(", ", prices.keySet())
                        + "), so no attempt's cost could be known"
                    : "the prices of region " + region + " are incomplete";
            throw new IllegalArgumentException(KEY_PREFIX + region + ": " + why + "; set " + String.join(", ", missing)
                    + " (or give them in " + FILE_KEY + ")");
        }
        var byArch = new EnumMap<Architecture, FargatePrices>(Architecture.class);
        known.forEach((arch, f) -> byArch.put(arch, new FargatePrices(f.get("vcpu-hour"), f.get("gb-hour"),
                f.get("spot-vcpu-hour"), f.get("spot-gb-hour"), f.get("storage-gb-hour"))));
        return new RegionPrices(region, byArch);
    }

    /** The region's prices when they are complete; none otherwise. */
    public RegionPrices findRegion(String region) {
        try {
            return forRegion(region);
        } catch (IllegalArgumentException unknown) {
            return RegionPrices.none(region);
        }
    }

    private FargatePriceTable withDocument(JsonNode root, String where, List<String> problems) {
        JsonNode regions = root.path("regions");
        if (!regions.isObject()) {
            problems.add(where + ": regions: must be an object of regions, each of architectures, each of prices");
            return this;
        }
        regions.fields().forEachRemaining(region -> {
            if (!region.getValue().isObject()) {
                problems.add(where + ": regions." + region.getKey() + ": must be an object of architectures");
                return;
            }
            region.getValue().fields().forEachRemaining(arch -> {
                if (!arch.getValue().isObject()) {
                    problems.add(where + ": regions." + region.getKey() + "." + arch.getKey() + ": must be an object of prices");
                    return;
                }
                arch.getValue().fields().forEachRemaining(field -> put(
                        where + ": regions." + region.getKey() + "." + arch.getKey() + "." + field.getKey(),
                        region.getKey(), arch.getKey(), field.getKey(),
                        field.getValue().isNumber() ? field.getValue().decimalValue().toPlainString() : field.getValue().toString(),
                        problems));
            });
        });
        return this;
    }

    /** One price, checked; {@code name} is how a problem names it (a key, or a file and a path in it). */
    private void put(String name, String region, String arch, String field, String value, List<String> problems) {
        if (!REGION.matcher(region).matches()) {
            problems.add(name + ": " + region + " is not an AWS region name (such as us-east-1)");
            return;
        }
        Optional<Architecture> architecture = Arrays.stream(Architecture.values())
                .filter(a -> a.name().equals(arch.toUpperCase(Locale.ROOT))).findFirst();
        if (architecture.isEmpty()) {
            problems.add(name + ": " + arch + " is not a CPU architecture (X86_64 or ARM64)");
            return;
        }
        if (!FIELDS.contains(field)) {
            problems.add(name + ": " + field + " is not a price (" + String.join(", ", FIELDS) + ")");
            return;
        }
        BigDecimal price;
        try {
            price = new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            problems.add(name + ": " + value + " must be a price in USD, a number of 0 or more");
            return;
        }
        if (price.signum() < 0) {
            problems.add(name + ": " + value + " must be a price in USD, a number of 0 or more");
            return;
        }
        prices.computeIfAbsent(region, r -> new EnumMap<>(Architecture.class))
                .computeIfAbsent(architecture.get(), a -> new LinkedHashMap<>()).put(field, price);
    }

    /** Every architecture an override prices must be complete: one half priced is a mistake, found now. */
    private static FargatePriceTable checked(FargatePriceTable table, List<String> problems) {
        table.prices.forEach((region, byArch) -> byArch.forEach((arch, fields) -> {
            List<String> missing = FIELDS.stream().filter(f -> !fields.containsKey(f)).toList();
            if (!missing.isEmpty()) {
                problems.add(KEY_PREFIX + region + "." + arch + ": is incomplete; set also " + String.join(", ", missing));
            }
        }));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return table;
    }

    private FargatePriceTable copy() {
        var copy = new TreeMap<String, Map<Architecture, Map<String, BigDecimal>>>();
        prices.forEach((region, byArch) -> {
            var archs = new EnumMap<Architecture, Map<String, BigDecimal>>(Architecture.class);
            byArch.forEach((arch, fields) -> archs.put(arch, new LinkedHashMap<>(fields)));
            copy.put(region, archs);
        });
        return new FargatePriceTable(copy, taken);
    }
}
