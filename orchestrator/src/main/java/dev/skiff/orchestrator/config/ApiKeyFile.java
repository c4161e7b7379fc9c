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
 * {@code skiff.auth.api-keys-file}: one {@code <sha256 hex of the key> <team>} a line, {@code #} comments and
 * blank lines ignored; for keys mounted as a secret file rather than set in configuration. A bad line is
 * reported by its number only, since it may hold a key pasted by mistake.
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
        var teams = new LinkedHashMap<String, String>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (fields.length != 2) {
                throw new SkiffException("skiff.auth.api-keys-file: " + file.toAbsolutePath() + " line " + (i + 1)
                        + " must be '<sha256 hex of the key> <team>'");
            }
            teams.put(fields[0], fields[1]);
        }
        return teams;
    }
}
