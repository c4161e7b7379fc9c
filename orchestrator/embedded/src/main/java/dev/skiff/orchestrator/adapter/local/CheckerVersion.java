package dev.skiff.orchestrator.adapter.local;

import dev.skiff.jobs.CheckedSpecs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The version of the spec checker, as a {@link SpecCacheFile} records it: the kept form's name and the SHA-256 of
 * the {@code jobs} module's code (its jar, or its classes when run from a build tree). Any change to a rule, a default
 * or the model changes it, so no release trusts what another one checked; a release number alone would not see a
 * rebuilt snapshot.
 */
public final class CheckerVersion {

    private CheckerVersion() {
    }

    public static String current() {
        try {
            Path code = Path.of(CheckedSpecs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return CheckedSpecs.FORMAT + "/" + HexFormat.of().formatHex(digest(code));
        } catch (URISyntaxException | RuntimeException e) {
            // No code source to hash (an unusual class loader): a version no cache holds, so none is trusted.
            return CheckedSpecs.FORMAT + "/unknown-" + System.nanoTime();
        }
    }

    private static byte[] digest(Path code) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            if (Files.isRegularFile(code)) {
                sha.update(Files.readAllBytes(code));
            } else {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(code)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path file : files) {
                    sha.update(code.relativize(file).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    sha.update(Files.readAllBytes(file));
                }
            }
            return sha.digest();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
