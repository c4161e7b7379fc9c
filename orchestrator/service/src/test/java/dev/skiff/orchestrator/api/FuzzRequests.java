package dev.skiff.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates hostile requests for {@link ApiFuzzTest}: valid specs, events and run requests, then mutated (trees
 * with values of the wrong type, huge or control-character text, deep nesting; texts truncated, spliced, tagged),
 * sent with wrong or missing content types, odd headers, query parameters and path parameters.
 */
final class FuzzRequests {

    /** One request as sent; {@code chunked} sends the body without a Content-Length. */
    record FuzzRequest(String method, String path, Map<String, String> headers, byte[] body, boolean chunked) {

        String describe() {
            String text = body == null ? "" : new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
            return method + " " + (path.length() > 200 ? path.substring(0, 200) + "..." : path) + " " + headers
                    + (body == null ? "" : " body(" + body.length + " bytes" + (chunked ? ", chunked" : "") + "): " + text);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] CONTENT_TYPES = {"application/json", "application/yaml", "text/yaml", "text/plain",
        "application/xml", "application/json; charset=ISO-8859-1", "multipart/form-data; boundary=x", "x/y;;;=", ""};
    private static final String[] YAML_TAGS = {"!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]", "!!timestamp 2001-12-14",
        "!!float .nan", "!!int 0x1F", "!!python/object:os.system ls", "!<tag:yaml.org,2002:str> x", "!java.lang.Object {}",
        "&a [x]", "*nope", "<<: {a: b}", "!!null ~", "!!bool yes", "!!str", "? [a]: b"};
    private static final String[] ODD_TEXT = {"", " ", "\u0000", "a\u0000b", "\u0001\u001f\u007f", "\t\n\r", "\ud800",
        "\udfff x", "😀🚀", "\u202e\u200b", "\ufeff", "日本語", "%00", "../..", "$.", "${jndi:ldap://x}", "'; DROP TABLE runs; --",
        "<script>", "null", "-1", "1e400", "NaN"};

    private final Random random;

    FuzzRequests(long seed) {
        this.random = new Random(seed);
    }

    FuzzRequest next() {
        return switch (random.nextInt(10)) {
            case 0, 1, 2 -> specPut();
            case 3, 4, 5 -> eventPost();
            case 6, 7 -> random.nextInt(3) == 0 ? backfillPost() : runPost();
            default -> random.nextInt(4) == 0 ? backfillReadOrCancel() : readOrControl();
        };
    }

    // --- the valid shapes every mutation starts from

    static ObjectNode validSpec(String name) {
        ObjectNode spec = NODES.objectNode();
        spec.put("name", name).put("owner", "test-team").put("image", "example/fuzz:1").put("description", "fuzzed");
        spec.putArray("command").add("true");
        spec.putObject("parameters").putObject("P").put("default", "x");
        spec.putObject("environment").put("E", "v");
        spec.putObject("resources").put("cpu", 256).put("memory", 512);
        spec.putObject("retries").put("maxAttempts", 1);
        spec.put("timeout", "1m");
        spec.putObject("tags").put("team", "fuzz");
        ObjectNode event = spec.putObject("triggers").putArray("events").addObject();
        event.putObject("pattern").putArray("source").add("fuzz.source");
        event.putObject("parameters").put("P", "$.detail.p");
        return spec;
    }

    private static ObjectNode validEvent() {
        ObjectNode event = NODES.objectNode();
        event.put("version", "0").put("detail-type", "Object Created").put("source", "aws.s3").put("time", "2026-11-26T10:00:00Z");
        event.putArray("resources");
        ObjectNode detail = event.putObject("detail");
        detail.putObject("bucket").put("name", "fuzz-bucket");
        detail.putObject("object").put("key", "in/a.csv");
        return event;
    }

    private static ObjectNode validBatch() {
        ObjectNode batch = NODES.objectNode();
        ArrayNode entries = batch.putArray("Entries");
        entries.addObject().put("Source", "fuzz.source").put("DetailType", "Fuzz").put("Detail", "{\"p\": \"v\"}");
        entries.addObject().put("Source", "billing").put("DetailType", "Invoice").putObject("Detail").put("n", 1);
        return batch;
    }

    // --- requests

    private FuzzRequest specPut() {
        String name = random.nextInt(4) == 0 ? pathSegment() : "fz-" + random.nextInt(50);
        ObjectNode spec = validSpec(random.nextInt(5) == 0 ? oddText() : name);
        JsonNode mutated = mutateTree(spec);
        boolean asYaml = random.nextBoolean();
        String text = asYaml ? write(YAML, mutated) : write(JSON, mutated);
        if (asYaml && random.nextInt(3) == 0) {
            text = yamlTag(text);
        }
        text = mutateText(text);
        String type = random.nextInt(5) == 0 ? pick(CONTENT_TYPES) : asYaml ? "application/yaml" : "application/json";
        return new FuzzRequest("PUT", "/jobs/" + (name.startsWith("fz-") || !isProtected(name) ? name : "fz-x"),
                headers(type), bytes(text), random.nextInt(8) == 0);
    }

    private FuzzRequest eventPost() {
        JsonNode event = random.nextInt(3) == 0 ? validBatch() : validEvent();
        String text = mutateText(write(JSON, mutateTree(event)));
        Map<String, String> headers = headers(random.nextInt(6) == 0 ? pick(CONTENT_TYPES) : "application/json");
        if (random.nextInt(4) == 0) {
            headers.put("Idempotency-Key", oddHeader());
        }
        return new FuzzRequest("POST", "/events", headers, bytes(text), random.nextInt(8) == 0);
    }

    private FuzzRequest runPost() {
        ObjectNode request = NODES.objectNode();
        request.putObject("parameters").put("WHO", "fuzz");
        String text = mutateText(write(JSON, mutateTree(request)));
        String job = random.nextInt(3) == 0 ? pathSegment() : "greet";
        Map<String, String> headers = headers(random.nextInt(6) == 0 ? pick(CONTENT_TYPES) : "application/json");
        if (random.nextInt(3) == 0) {
            headers.put("Idempotency-Key", oddHeader());
        }
        return new FuzzRequest("POST", "/jobs/" + job + "/runs", headers, bytes(text), random.nextInt(8) == 0);
    }

    /** A backfill of the daily job, mutated; the valid ones plan a few fires of long ago, which run {@code true}. */
    private FuzzRequest backfillPost() {
        ObjectNode request = NODES.objectNode();
        request.put("from", "2020-01-0" + (1 + random.nextInt(5))).put("to", "2020-01-08").put("schedule", 0)
                .put("maxConcurrency", 1 + random.nextInt(3)).put("onlyMissing", true);
        String text = mutateText(write(JSON, mutateTree(request)));
        String job = random.nextInt(3) == 0 ? pathSegment() : "nightly";
        Map<String, String> headers = headers(random.nextInt(6) == 0 ? pick(CONTENT_TYPES) : "application/json");
        return new FuzzRequest("POST", "/jobs/" + job + "/backfill", headers, bytes(text), random.nextInt(8) == 0);
    }

    private FuzzRequest backfillReadOrCancel() {
        String id = random.nextBoolean() ? pathSegment() : "nightly-b-" + pathSegment();
        return switch (random.nextInt(3)) {
            case 0 -> new FuzzRequest("GET", "/backfills/" + id, headers(null), null, false);
            case 1 -> new FuzzRequest("POST", "/backfills/" + id + "/cancel?" + query("runs"), headers(null), null, false);
            default -> new FuzzRequest("GET", "/jobs/" + id + "/backfills", headers(null), null, false);
        };
    }

    private FuzzRequest readOrControl() {
        String id = pathSegment();
        return switch (random.nextInt(10)) {
            case 0 -> new FuzzRequest("GET", "/runs?" + query("limit") + "&" + query("status") + "&" + query("job"), headers(null), null, false);
            case 1 -> new FuzzRequest("GET", "/runs/" + id, headers(null), null, false);
            case 2 -> new FuzzRequest("GET", "/runs/" + id + "/log?" + query("lines") + "&" + query("attempt") + "&"
                    + query("step") + "&" + query("item"), headers(null), null, false);
            case 8 -> new FuzzRequest("GET", "/runs/" + id + "/steps/" + pathSegment() + "/items?" + query("status") + "&"
                    + query("offset") + "&" + query("limit"), headers(null), null, false);
            case 3 -> new FuzzRequest("POST", "/runs/" + id + "/cancel", headers(null), null, false);
            case 4 -> new FuzzRequest("GET", "/jobs/" + id, headers(null), null, false);
            case 5 -> new FuzzRequest("POST", "/jobs/greet/schedules/" + id + "/pause", headers(null), null, false);
            case 6 -> new FuzzRequest("DELETE", "/jobs/" + (isProtected(id) ? "fz-1" : id), headers(null), null, false);
            case 7 -> new FuzzRequest(pick(new String[] {"PATCH", "PUT", "DELETE", "POST"}), "/runs", headers("application/json"), bytes("{}"), false);
            default -> new FuzzRequest("GET", "/" + id + "/" + pathSegment(), headers(null), null, false);
        };
    }

    private static boolean isProtected(String name) {
        return name.equals("greet") || name.equals("on-upload");
    }

    // --- tree mutations

    JsonNode mutateTree(JsonNode valid) {
        JsonNode tree = valid.deepCopy();
        int mutations = random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            tree = mutateOnce(tree);
        }
        return tree;
    }

    private JsonNode mutateOnce(JsonNode tree) {
        List<JsonNode> containers = new ArrayList<>();
        collectContainers(tree, containers);
        if (containers.isEmpty()) {
            return randomValue();
        }
        JsonNode parent = containers.get(random.nextInt(containers.size()));
        if (parent instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            switch (random.nextInt(4)) {
                case 0 -> object.set(oddKey(), randomValue());
                case 1 -> {
                    if (!names.isEmpty()) {
                        object.remove(names.get(random.nextInt(names.size())));
                    }
                }
                default -> {
                    if (!names.isEmpty()) {
                        object.set(names.get(random.nextInt(names.size())), randomValue());
                    }
                }
            }
        } else if (parent instanceof ArrayNode array) {
            if (array.isEmpty() || random.nextBoolean()) {
                array.add(randomValue());
            } else {
                array.set(random.nextInt(array.size()), randomValue());
            }
        }
        return random.nextInt(12) == 0 ? randomValue() : tree;
    }

    private static void collectContainers(JsonNode node, List<JsonNode> into) {
        if (node.isContainerNode()) {
            into.add(node);
            node.elements().forEachRemaining(child -> collectContainers(child, into));
        }
    }

    private JsonNode randomValue() {
        return switch (random.nextInt(12)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextLong());
            case 3 -> NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
            case 4 -> NODES.numberNode(random.nextDouble() * 1e300);
            case 5 -> NODES.textNode("x".repeat(random.nextInt(3) == 0 ? 70_000 : random.nextInt(2_000)));
            case 6 -> NODES.arrayNode();
            case 7 -> NODES.objectNode();
            case 8 -> nested(1 + random.nextInt(random.nextBoolean() ? 60 : 400));
            case 9 -> NODES.textNode("$.detail" + ".a".repeat(random.nextInt(3_000)));
            default -> NODES.textNode(oddText());
        };
    }

    private JsonNode nested(int depth) {
        JsonNode node = NODES.textNode("deep");
        for (int i = 0; i < depth; i++) {
            node = random.nextBoolean() ? NODES.arrayNode().add(node) : NODES.objectNode().set("a", node);
        }
        return node;
    }

    // --- text mutations

    private String mutateText(String text) {
        if (random.nextInt(3) != 0 || text.isEmpty()) {
            return text;
        }
        int at = random.nextInt(text.length() + 1);
        return switch (random.nextInt(9)) {
            case 0 -> text.substring(0, at);
            case 1 -> text.substring(0, at) + oddText() + text.substring(at);
            case 2 -> text.substring(0, at) + "\\u0000" + text.substring(at);
            case 3 -> text.substring(0, at) + "\\ud800" + text.substring(at);
            case 4 -> "[".repeat(1 + random.nextInt(20_000)) + text;
            case 5 -> text.substring(0, at) + text.substring(Math.min(text.length(), at + random.nextInt(40)));
            case 6 -> text.substring(0, at) + text.substring(at / 2);
            case 7 -> text.replace('"', random.nextBoolean() ? '\'' : '`');
            default -> "{\"a\": 1, \"a\": 2, " + text;
        };
    }

    private String yamlTag(String yaml) {
        List<String> lines = new ArrayList<>(yaml.lines().toList());
        int line = random.nextInt(lines.size());
        String l = lines.get(line);
        int colon = l.indexOf(": ");
        if (colon > 0) {
            lines.set(line, l.substring(0, colon + 2) + pick(YAML_TAGS) + (random.nextBoolean() ? "" : " " + l.substring(colon + 2)));
        } else {
            lines.add(line, pick(YAML_TAGS));
        }
        if (random.nextInt(4) == 0) {
            lines.add("---");
            lines.add("other: doc");
        }
        return String.join("\n", lines) + "\n";
    }

    // --- small parts

    private Map<String, String> headers(String contentType) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null && !contentType.isEmpty()) {
            headers.put("Content-Type", contentType);
        }
        if (random.nextInt(10) == 0) {
            headers.put("Accept", pick(new String[] {"text/html", "application/xml", "*/*", "application/problem+json", "x"}));
        }
        return headers;
    }

    private String query(String name) {
        String value = switch (random.nextInt(8)) {
            case 0 -> "-1";
            case 1 -> "0";
            case 2 -> "99999999999999999999";
            case 3 -> String.valueOf(random.nextInt(2_000));
            case 4 -> "abc";
            case 5 -> "";
            case 6 -> "RUNNING,BOGUS";
            default -> oddText();
        };
        return name + "=" + encode(value);
    }

    private String pathSegment() {
        return switch (random.nextInt(7)) {
            case 0 -> "r".repeat(1 + random.nextInt(random.nextBoolean() ? 100 : 12_000));
            case 1 -> encode(oddText());
            case 2 -> "greet-k-" + Long.toHexString(random.nextLong());
            case 3 -> "..";
            case 4 -> "%2e%2e%2f";
            case 5 -> String.valueOf(random.nextInt());
            default -> "x" + random.nextInt(1000);
        };
    }

    private String oddText() {
        return pick(ODD_TEXT);
    }

    private String oddKey() {
        return random.nextBoolean() ? pick(new String[] {"name", "owner", "parameters", "Entries", "detail", "id", "source",
            "triggers", "P", "WHO", "Detail", "x-unknown"}) : oddText();
    }

    private String oddHeader() {
        return switch (random.nextInt(5)) {
            case 0 -> "";
            case 1 -> " ";
            case 2 -> "k".repeat(1 + random.nextInt(2_000));
            case 3 -> "key-" + random.nextInt(20);
            default -> "ünïcödé-" + random.nextInt(5);
        };
    }

    private String pick(String[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String write(ObjectMapper mapper, JsonNode tree) {
        try {
            return mapper.writeValueAsString(tree);
        } catch (Exception e) {
            return tree.toString();
        }
    }
}
