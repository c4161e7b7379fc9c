package dev.skiff.orchestrator.adapter.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.workflows.RunValues;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** forEach.list in embedded mode: the files of a directory under the root, and nothing outside it. */
class LocalListingTest {

    @TempDir
    Path work;

    @Test
    void shouldListTheFilesSortedByNameWithTheirSizesAndSkipDirectoriesAndLinks() throws Exception {
        Path root = Files.createDirectories(work.resolve("root"));
        Path inbox = Files.createDirectories(root.resolve("inbox"));
        Files.writeString(inbox.resolve("b.csv"), "123");
        Files.writeString(inbox.resolve("a.csv"), "");
        Files.createDirectories(inbox.resolve("sub"));
        Files.createSymbolicLink(inbox.resolve("link.csv"), inbox.resolve("b.csv"));

        var items = new LocalListing(root).list("inbox");

        assertThat(items.toString()).isEqualTo("[{\"path\":\"" + inbox.resolve("a.csv") + "\",\"size\":0},"
                + "{\"path\":\"" + inbox.resolve("b.csv") + "\",\"size\":3}]");
    }

    @Test
    void shouldRefuseAPathThatLeavesTheRootByDotDot() throws Exception {
        Path root = Files.createDirectories(work.resolve("root"));
        Files.createDirectories(work.resolve("secret"));

        assertThatThrownBy(() -> new LocalListing(root).list("../secret"))
                .isInstanceOf(RunValues.UnresolvableException.class)
                .hasMessageContaining("forEach.list ../secret is outside " + root);
    }

    @Test
    void shouldRefuseADirectoryReachedThroughASymbolicLinkOutOfTheRoot() throws Exception {
        Path root = Files.createDirectories(work.resolve("root"));
        Path secret = Files.createDirectories(work.resolve("secret"));
        Files.createSymbolicLink(root.resolve("door"), secret);

        assertThatThrownBy(() -> new LocalListing(root).list("door"))
                .isInstanceOf(RunValues.UnresolvableException.class)
                .hasMessageContaining("leads through a symbolic link to " + secret.toRealPath());
    }

    @Test
    void shouldRefuseAnS3PrefixAMissingDirectoryAndAFile() throws Exception {
        Path root = Files.createDirectories(work.resolve("root"));
        Files.writeString(root.resolve("plain.txt"), "x");
        var listing = new LocalListing(root);

        assertThatThrownBy(() -> listing.list("s3://bucket/prefix/")).hasMessageContaining("an S3 prefix is listed in AWS mode");
        assertThatThrownBy(() -> listing.list("missing")).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> listing.list("plain.txt")).hasMessageContaining("is not a directory");
    }

    @Test
    void shouldRefuseMoreThanAThousandFilesAsTooManyItems() throws Exception {
        Path root = Files.createDirectories(work.resolve("root"));
        Path many = Files.createDirectories(root.resolve("many"));
        for (int i = 0; i <= RunValues.MAX_ITEMS; i++) {
            Files.createFile(many.resolve("f" + i));
        }

        assertThatThrownBy(() -> new LocalListing(root).list("many"))
                .isInstanceOf(RunValues.TooManyItemsException.class)
                .hasMessageContaining("has 1001 items");
    }
}
