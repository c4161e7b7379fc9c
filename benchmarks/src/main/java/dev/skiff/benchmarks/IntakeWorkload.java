package dev.skiff.benchmarks;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * 1,000 job specs with varied event patterns, and EventBridge events of which a realistic share
 * matches: S3 object-created patterns (buckets and key prefixes, some with a size threshold),
 * order events (detail-type lists, numeric ranges, anything-but), pipeline events (exists: false)
 * and monitoring events (prefix, numeric, exists: true). Seeded, so every run sees the same set.
 */
final class IntakeWorkload {

    private static final String[] ORDER_TYPES = {"Order Placed", "Order Updated", "Order Shipped", "Order Refunded"};
    private static final String[] STATUSES = {"new", "paid", "cancelled", "test", "shipped"};
    private static final String[] METRICS = {"cpu.user", "cpu.steal", "memory.used", "disk.free", "net.errors"};

    private IntakeWorkload() {
    }

    /** One spec's YAML; {@code variant} shifts thresholds and prefixes so that a changed spec has a changed pattern. */
    static String spec(int i, int variant) {
        String name = String.format("job-%04d", i);
        String head = "name: " + name + "\nowner: team-" + (i % 30) + "\nimage: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/etl-"
                + (i % 50) + ":1." + (i % 9) + "\ncommand: [\"sh\", \"-c\", \"run-etl\"]\n";
        return head + switch (i % 5) {
            case 0, 1 -> s3(i, variant);
            case 2 -> orders(i, variant);
            case 3 -> pipeline(i, variant);
            default -> monitoring(i, variant);
        };
    }

    static List<JobSpec> jobs(int count) {
        List<JobSpec> jobs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            jobs.add(JobSpecs.parse("job-" + i + ".yaml", spec(i, 0)));
        }
        return jobs;
    }

    private static String s3(int i, int variant) {
        String size = i % 3 == 0 ? ", size: [{\"numeric\": [\">\", " + (100 + 10 * (i % 40) + variant) + "]}]" : "";
        return """
                parameters:
                  BUCKET: {required: true}
                  KEY: {required: true}
                  SIZE: {default: "0"}
                triggers:
                  events:
                    - pattern: {"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {"bucket": {"name": ["landing-%d"]}, "object": {"key": [{"prefix": "team%d/%s"}]%s}}}
                      parameters: {BUCKET: $.detail.bucket.name, KEY: $.detail.object.key, SIZE: $.detail.object.size}
                """.formatted(i % 40, (i / 40) % 10, variant == 0 ? "" : "v" + variant, size);
    }

    private static String orders(int i, int variant) {
        String types = i % 2 == 0 ? "\"Order Placed\", \"Order Updated\"" : "\"Order Shipped\"";
        return """
                parameters:
                  ORDER_ID: {required: true}
                  AMOUNT: {}
                triggers:
                  events:
                    - pattern: {"source": ["com.acme.orders.%d"], "detail-type": [%s], "detail": {"amount": [{"numeric": [">", %d, "<=", 10000]}], "status": [{"anything-but": ["cancelled", "test"]}]}}
                      parameters: {ORDER_ID: $.detail.orderId, AMOUNT: $.detail.amount}
                """.formatted((i / 5) % 20, types, 100 + 50 * (i % 7) + variant);
    }

    private static String pipeline(int i, int variant) {
        return """
                parameters:
                  DATASET: {required: true}
                triggers:
                  events:
                    - pattern: {"source": ["com.acme.pipeline"], "detail-type": ["Batch Finished"], "detail": {"dataset": ["ds-%d%s"], "error": [{"exists": false}]}}
                      parameters: {DATASET: $.detail.dataset}
                    - pattern: {"source": ["com.acme.backfill"], "detail": {"dataset": ["ds-%d%s"]}}
                      parameters: {DATASET: $.detail.dataset}
                """.formatted((i / 5) % 150, variant == 0 ? "" : "-v" + variant, (i / 5) % 150, variant == 0 ? "" : "-v" + variant);
    }

    private static String monitoring(int i, int variant) {
        return """
                parameters:
                  METRIC: {required: true}
                  VALUE: {}
                triggers:
                  events:
                    - pattern: {"source": ["com.acme.monitoring.%d"], "detail-type": ["Threshold Breached", "Anomaly Detected"], "detail": {"metric": [{"prefix": "%s"}], "value": [{"numeric": [">=", %d]}], "region": [{"exists": true}]}}
                      parameters: {METRIC: $.detail.metric, VALUE: $.detail.value}
                """.formatted((i / 5) % 10, METRICS[(i / 5) % METRICS.length].substring(0, 3), 80 + (i % 15) + variant);
    }

    /** EventBridge events as an SQS message body carries them: 40% S3, 25% orders, 20% pipeline, 15% monitoring. */
    static List<String> events(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> events = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            int kind = random.nextInt(100);
            String id = String.format("%08x-%04x-4%03x-a%03x-%012x", random.nextInt() & 0xffffffffL, random.nextInt(0x10000),
                    random.nextInt(0x1000), random.nextInt(0x1000), random.nextLong() & 0xffffffffffffL);
            String time = String.format("2026-11-%02dT%02d:%02d:%02dZ", 1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60));
            String source;
            String type;
            String detail;
            if (kind < 40) {
                source = "aws.s3";
                type = random.nextInt(10) == 0 ? "Object Deleted" : "Object Created";
                detail = String.format("{\"version\": \"0\", \"bucket\": {\"name\": \"landing-%d\"}, \"object\": {\"key\": \"team%d/%d/%02d/part-%05d.parquet\", "
                                + "\"size\": %d, \"etag\": \"%016x\", \"sequencer\": \"%016X\"}, \"request-id\": \"%08X\", \"requester\": \"123456789012\", "
                                + "\"source-ip-address\": \"10.0.%d.%d\", \"reason\": \"PutObject\"}",
                        random.nextInt(60), random.nextInt(12), 2026, random.nextInt(1, 13), random.nextInt(100000),
                        random.nextInt(2000), random.nextLong(), random.nextLong(), random.nextInt(), random.nextInt(256), random.nextInt(256));
            } else if (kind < 65) {
                source = "com.acme.orders." + random.nextInt(30);
                type = ORDER_TYPES[random.nextInt(ORDER_TYPES.length)];
                detail = String.format("{\"orderId\": \"o-%d\", \"amount\": %d.%02d, \"currency\": \"EUR\", \"status\": \"%s\", \"items\": [{\"sku\": \"s-%d\", \"qty\": %d}, {\"sku\": \"s-%d\", \"qty\": %d}], \"customer\": {\"id\": \"c-%d\", \"tier\": \"gold\"}}",
                        random.nextInt(1_000_000), random.nextInt(20000), random.nextInt(100), STATUSES[random.nextInt(STATUSES.length)],
                        random.nextInt(5000), 1 + random.nextInt(5), random.nextInt(5000), 1 + random.nextInt(5), random.nextInt(100000));
            } else if (kind < 85) {
                boolean backfill = random.nextInt(5) == 0;
                source = backfill ? "com.acme.backfill" : "com.acme.pipeline";
                type = backfill ? "Backfill Requested" : "Batch Finished";
                detail = String.format("{\"dataset\": \"ds-%d\", \"rows\": %d, \"partition\": \"2026-11-%02d\"%s}", random.nextInt(200),
                        random.nextInt(10_000_000), 1 + random.nextInt(28), random.nextInt(5) == 0 ? ", \"error\": \"schema mismatch\"" : "");
            } else {
                source = "com.acme.monitoring." + random.nextInt(15);
                type = random.nextBoolean() ? "Threshold Breached" : "Anomaly Detected";
                detail = String.format("{\"metric\": \"%s\", \"value\": %d.%d, \"host\": \"ip-10-0-%d-%d\"%s}", METRICS[random.nextInt(METRICS.length)],
                        random.nextInt(101), random.nextInt(10), random.nextInt(256), random.nextInt(256),
                        random.nextInt(4) == 0 ? "" : ", \"region\": \"eu-west-1\"");
            }
            events.add(String.format("{\"version\": \"0\", \"id\": \"%s\", \"detail-type\": \"%s\", \"source\": \"%s\", \"account\": \"123456789012\", "
                    + "\"time\": \"%s\", \"region\": \"eu-west-1\", \"resources\": [], \"detail\": %s}", id, type, source, time, detail));
        }
        return events;
    }
}
