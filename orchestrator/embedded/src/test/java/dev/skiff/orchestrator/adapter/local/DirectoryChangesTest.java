package dev.skiff.orchestrator.adapter.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.RegisteredJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the directory registry learns what changed: from change notifications, with the whole directory listed only
 * once an hour here, so each change below is seen through its notification alone; and a file rewritten within the
 * file system's timestamp granularity (same size, same modification time) is still read.
 */
class DirectoryChangesTest {

    private static final Duration RARELY = Duration.ofHours(1);

    @TempDir
    Path dir;

    private final JobCatalog catalog = new JobCatalog();
    private final AtomicInteger published = new AtomicInteger();
    private DirectoryJobSource watching;

    @BeforeEach
    void createSource() {
        catalog.onChange(snapshot -> published.incrementAndGet());
        watching = new DirectoryJobSource(dir, catalog, false, RARELY);
    }

    private static String spec(String name, String image) {
        return DirectoryJobSourceTest.spec(name, image);
    }

    private Optional<RegisteredJob> job(String name) {
        return Optional.ofNullable(catalog.snapshot().jobs().get(name));
    }

    /** Reloads as the service does, every 50 ms, until the catalog shows what is expected (a notification takes a moment). */
    private void reloadUntil(DirectoryJobSource source, String what, Predicate<JobCatalog.Snapshot> expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        source.reload();
        while (!expected.test(catalog.snapshot())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("after 10 s of reloads, still not " + what + ": " + catalog.snapshot().jobs().keySet());
            }
            Thread.sleep(50);
            source.reload();
        }
    }

    @Test
    void shouldSeeANewFileThroughItsNotification() throws Exception {
        watching.reload();

        Files.writeString(dir.resolve("alpha.yaml"), spec("alpha", "example/alpha:1"));

        reloadUntil(watching, "alpha loaded", s -> s.jobs().containsKey("alpha"));
        assertThat(job("alpha").orElseThrow().source()).endsWith("alpha.yaml");
    }

    @Test
    void shouldSeeAFileRewrittenWithTheSameSizeAndModificationTime() throws Exception {
        // Given a loaded file whose time is kept at one instant, as on a file system with coarse timestamps
        Path file = Files.writeString(dir.resolve("alpha.yaml"), spec("alpha", "example/alpha:1"));
        FileTime written = Files.getLastModifiedTime(file);
        watching.reload();

        // When it is rewritten with content of the same size, its modification time unchanged
        Files.writeString(file, spec("alpha", "example/alpha:2"));
        Files.setLastModifiedTime(file, written);

        // Then the new version loads
        reloadUntil(watching, "alpha:2 loaded", s -> s.jobs().containsKey("alpha")
                && s.jobs().get("alpha").spec().image().equals("example/alpha:2"));
    }

    @Test
    void shouldDropTheJobOfADeletedFile() throws Exception {
        Path file = Files.writeString(dir.resolve("alpha.yaml"), spec("alpha", "example/alpha:1"));
        Files.writeString(dir.resolve("beta.yaml"), spec("beta", "example/beta:1"));
        watching.reload();

        Files.delete(file);

        reloadUntil(watching, "alpha dropped", s -> !s.jobs().containsKey("alpha"));
        assertThat(catalog.snapshot().jobs()).containsOnlyKeys("beta");
    }

    @Test
    void shouldFollowARenamedFileAndDropOneRenamedToANameThatIsNoSpec() throws Exception {
        // Given two loaded files
        Path alpha = Files.writeString(dir.resolve("alpha.yaml"), spec("alpha", "example/alpha:1"));
        Path beta = Files.writeString(dir.resolve("beta.yaml"), spec("beta", "example/beta:1"));
        watching.reload();

        // When one is renamed to another spec name, the other to a backup name
        Files.move(alpha, dir.resolve("renamed.yml"), StandardCopyOption.ATOMIC_MOVE);
        Files.move(beta, dir.resolve("beta.yaml.bak"), StandardCopyOption.ATOMIC_MOVE);

        // Then alpha comes from its new name, and beta is gone
        reloadUntil(watching, "alpha from renamed.yml and beta gone", s -> !s.jobs().containsKey("beta")
                && s.jobs().containsKey("alpha") && s.jobs().get("alpha").source().endsWith("renamed.yml"));
        assertThat(catalog.snapshot().problems()).isEmpty();
    }

    @Test
    void shouldSeeASameSizeRewriteInTheSameSecondWhenListingOnEveryReload() throws IOException {
        // Given a registry without notifications (it lists the directory on each reload) and a file it loaded
        var listing = new DirectoryJobSource(dir, catalog);
        Path file = Files.writeString(dir.resolve("alpha.yaml"), spec("alpha", "example/alpha:1"));
        FileTime written = Files.getLastModifiedTime(file);
        listing.reload();

        // When the file is rewritten in the same timestamp tick: same size, same modification time
        Files.writeString(file, spec("alpha", "example/alpha:2"));
        Files.setLastModifiedTime(file, written);
        listing.reload();

        // Then the new version is loaded all the same: a modification that recent was not trusted
        assertThat(job("alpha").orElseThrow().spec().image()).isEqualTo("example/alpha:2");
    }

    @Test
    void shouldNotTellTheCatalogAnythingWhenARecentFileIsReadAgainUnchanged() throws IOException {
        // Given a file written just now, loaded by a registry listing on every reload
        var listing = new DirectoryJobSource(dir, catalog);
        Files.writeString(dir.resolve("alpha.yaml"), spec("alpha", "example/alpha:1"));
        listing.reload();

        // When it is read again (too recent to trust) with nothing changed
        listing.reload();
        listing.reload();

        // Then the catalog heard of the first load only
        assertThat(published).hasValue(1);
    }
}
