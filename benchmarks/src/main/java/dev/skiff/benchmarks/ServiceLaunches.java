package dev.skiff.benchmarks;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tasks the service launched, read as it logs them ({@code run R: attempt N of step S launched as ARN on C}), with
 * the time of each line: when RunTask had answered. Moto keeps no task times, so this is the launch's time; and the
 * benchmark learns of each new task here without listing the cluster over and over.
 */
final class ServiceLaunches {

    /** Log lines with the full date and zone, which the service's default format leaves out. */
    static final Map<String, String> LOG_FORMAT =
            Map.of("QUARKUS_LOG_CONSOLE_FORMAT", "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5p [%c{1.}] %s%e%n");
    private static final Pattern LAUNCHED = Pattern.compile(
            "^(\\S+)\\s+INFO\\s+\\[[^]]*] run (\\S+): attempt (\\d+) of step (\\S+) launched as (\\S+) on \\S+");

    /** One launched task. */
    record Launch(Instant at, String runId, String step, int attempt, String taskArn) {
    }

    private final Path log;
    private long offset;
    private String partial = "";

    ServiceLaunches(Path log) {
        this.log = log;
    }

    /** The launches logged since the last call. */
    List<Launch> next() throws IOException {
        byte[] bytes;
        try (var file = new RandomAccessFile(log.toFile(), "r")) {
            bytes = new byte[(int) Math.max(0, file.length() - offset)];
            file.seek(offset);
            file.readFully(bytes);
        }
        offset += bytes.length;
        String text = partial + new String(bytes, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        partial = text.substring(end + 1); // a line the service is still writing
        List<Launch> launches = new ArrayList<>();
        for (String line : text.substring(0, end + 1).split("\n")) {
            Matcher m = LAUNCHED.matcher(line);
            if (m.find()) {
                launches.add(new Launch(OffsetDateTime.parse(m.group(1)).toInstant(), m.group(2), m.group(4),
                        Integer.parseInt(m.group(3)), m.group(5)));
            }
        }
        return launches;
    }
}
