package dev.skiff.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's files are, for tests: each module's tests run with the module as working directory. */
public final class Repository {

    private Repository() {
    }

    /** The directory holding the parent pom (and {@code mvnw}); the working directory when none is found above it. */
    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        return Path.of("").toAbsolutePath();
    }
}
