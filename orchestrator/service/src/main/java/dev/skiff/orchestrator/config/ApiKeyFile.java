package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.domain.SkiffException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code skiff.auth.api-keys-file}, or the same lines in {@code skiff.auth.api-keys-text}: one
 * {@code <sha256 hex of the key> <team>} a line, {@code #} comments and blank lines ignored; for keys mounted as a
 * secret file, or injected from a secret into the environment (ECS puts a Secrets Manager secret into
 * SKIFF_AUTH_API_KEYS_TEXT), rather than set in configuration. A bad line is reported by its number only, since
 * it may hold a key pasted by mistake.
 */
final class ApiKeyFile {

    private ApiKeyFile() {
    }

    static Map<String, String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SkiffException("skiff.auth.api-keys-file: cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        return parse("skiff.auth.api-keys-file: " + file.toAbsolutePath(), lines);
    }

    static Map<String, String> parse(String text) {
        return parse("skiff.auth.api-keys-text:", text.lines().toList());
    }

    private static Map<String, String> parse(String where, List<String> lines) {
        var teams = new LinkedHashMap<String, String>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (fields.length != 2) {
                throw new SkiffException(where + " line " + (i + 1)
                        + " must be '<sha256 hex of the key> <team>'");
            }
            teams.put(fields[0], fields[1]);
        }
        return teams;
    }
}
