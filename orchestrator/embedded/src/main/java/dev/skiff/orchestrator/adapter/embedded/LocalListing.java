package dev.skiff.orchestrator.adapter.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.skiff.workflows.RunValues;
import dev.skiff.workflows.RunValues.UnresolvableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A forEach's {@code list:} in embedded mode: the files of a local directory, sorted by name, each
 * {@code {"path", "size"}}. Only directories under the root ({@code skiff.embedded.list-root}, default the working
 * directory) may be listed: a spec must not read the names of files anywhere the orchestrator can, so a path that
 * leaves the root, by {@code ..} or through a symbolic link, is refused, and so are entries that are links.
 */
public final class LocalListing {

    private final Path root;

    public LocalListing(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * @throws UnresolvableException when the directory cannot be listed (outside the root, missing, not a directory),
     *                               or has too many files for a fan-out
     */
    public JsonNode list(String location) {
        String where = "forEach.list " + location;
        if (location.contains("://")) {
            throw new UnresolvableException(where + ": embedded mode lists a local directory (a path under " + root
                    + "); an S3 prefix is listed in AWS mode");
        }
        Path target = root.resolve(location).normalize();
        if (!target.startsWith(root)) {
            throw new UnresolvableException(where + " is outside " + root + ", the directory steps may list"
                    + " (skiff.embedded.list-root)");
        }
        Path real;
        Path realRoot;
        try {
            real = target.toRealPath();
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new UnresolvableException(where + ": " + target + " does not exist");
        }
        if (!real.startsWith(realRoot)) {
            throw new UnresolvableException(where + " leads through a symbolic link to " + real + ", outside " + root
                    + ", the directory steps may list (skiff.embedded.list-root)");
        }
        if (!Files.isDirectory(real)) {
            throw new UnresolvableException(where + ": " + target + " is not a directory");
        }
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        for (Path file : files(where, real)) {
            try {
                items.addObject().put("path", file.toString()).put("size", Files.size(file));
            } catch (IOException e) {
                throw new UnresolvableException(where + ": cannot read the size of " + file + ": " + e.getMessage());
            }
        }
        RunValues.checkSize(where, items);
        return items;
    }

    private static List<Path> files(String where, Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return new ArrayList<>(entries
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList());
        } catch (IOException e) {
            throw new UnresolvableException(where + ": cannot list " + directory + ": " + e.getMessage());
        }
    }
}
