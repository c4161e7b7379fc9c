package dev.skiff.orchestrator.adapter.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.jobs.JobSpecs;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.RegisteredJob;
import dev.skiff.orchestrator.app.SpecProblem;
import dev.skiff.orchestrator.domain.SkiffException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory registry on a real temporary directory. Each write sets the file's modification
 * time to a fixed instant of its own, so that a change is seen however coarse the file system's
 * timestamps are.
 */
class DirectoryJobSourceTest {

    private static final Instant FIRST_WRITE = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path dir;

    private final JobCatalog catalog = new JobCatalog();
    private final AtomicInteger published = new AtomicInteger();
    private DirectoryJobSource source;
    private int writes;

    @BeforeEach
    void createSource() {
        catalog.onChange(snapshot -> published.incrementAndGet());
        source = new DirectoryJobSource(dir, catalog);
    }

    static String spec(String name, String image) {
        return """
                name: %s
                owner: test-team
                image: %s
                command: ["true"]
                """.formatted(name, image);
    }

    private static String invalidSpec(String name) {
        return spec(name, "example/" + name + ":2") + """
                resources:
                  cpu: 1024
                  memory: 16384
                """;
    }

    private Path write(String fileName, String text) throws IOException {
        Path file = Files.writeString(dir.resolve(fileName), text);
        Files.setLastModifiedTime(file, FileTime.from(FIRST_WRITE.plusSeconds(writes++)));
        return file;
    }

    private RegisteredJob job(String name) {
        return Optional.ofNullable(catalog.snapshot().jobs().get(name))
                .orElseThrow(() -> new AssertionError("no job " + name + " in " + catalog.snapshot().jobs().keySet()));
    }

    @Test
    void shouldLoadEverySpecFileWhenTheDirectoryIsReadFirst() throws IOException {
        // Given a YAML, a YML and a JSON spec, and files that are not specs
        Path yaml = write("alpha.yaml", spec("alpha", "example/alpha:1"));
        write("beta.yml", spec("beta", "example/beta:1"));
        write("gamma.json", """
                {"name": "gamma", "owner": "test-team", "image": "example/gamma:1", "command": ["true"]}""");
        write("notes.txt", "not a spec");
        write(".alpha.yaml.swp", "editor scratch");
        write(".hidden.yaml", "name: [this would not parse");

        // When the source reads the directory
        source.reload();

        // Then the three jobs are in the catalog, with their files, and nothing is reported
        assertThat(catalog.snapshot().jobs()).containsOnlyKeys("alpha", "beta", "gamma");
        assertThat(job("alpha").source()).endsWith(yaml.getFileName().toString());
        assertThat(job("alpha").spec().image()).isEqualTo("example/alpha:1");
        assertThat(job("gamma").source()).endsWith("gamma.json");
        assertThat(catalog.snapshot().problems()).isEmpty();
        assertThat(published).hasValue(1);
    }

    @Test
    void shouldLeaveOutTheLastJobOfACycleOfFollowersWhenFilesValidAloneCloseOne() throws IOException {
        // Given ping after pong, pong after ping (each file valid alone), and alpha after ping
        write("ping.yaml", spec("ping", "example/ping:1") + "triggers: {after: [{job: pong}]}\n");
        write("pong.yaml", spec("pong", "example/pong:1") + "triggers: {after: [{job: ping}]}\n");
        write("alpha.yaml", spec("alpha", "example/alpha:1") + "triggers: {after: [{job: ping}]}\n");

        // When the directory is read
        source.reload();

        // Then pong, last of the cycle by name, is left out with the cycle named; the others load
        assertThat(catalog.snapshot().jobs()).containsOnlyKeys("alpha", "ping");
        assertThat(catalog.snapshot().problems()).singleElement().satisfies(problem -> {
            assertThat(problem.source()).endsWith("pong.yaml");
            assertThat(problem.problems()).singleElement().asString().endsWith("pong.yaml: triggers.after: job pong"
                    + " closes a cycle of jobs that follow each other (ping after pong after ping); this file is not loaded");
        });
    }

    @Test
    void shouldKeepTheLastValidVersionAndReportWhyWhenAFileTurnsInvalid() throws IOException {
        // Given a loaded job
        Path file = write("alpha.yaml", spec("alpha", "example/alpha:1"));
        source.reload();

        // When its file turns invalid
        write("alpha.yaml", invalidSpec("alpha"));
        source.reload();

        // Then the job keeps its last valid version, and the problem names the file, the field and the value
        assertThat(job("alpha").spec().image()).isEqualTo("example/alpha:1");
        assertThat(catalog.snapshot().problems()).singleElement().satisfies(problem -> {
            assertThat(problem.source()).endsWith("alpha.yaml");
            assertThat(problem.keptJob()).contains("alpha");
            assertThat(problem.problems()).singleElement().satisfies(line -> {
                assertThat(line).startsWith(problem.source() + ": ");
                assertThat(line).contains(file.getFileName() + ": resources.memory: 16384 is not valid with cpu 1024");
            });
        });
    }

    @Test
    void shouldLoadTheNewVersionAndClearTheProblemWhenAnInvalidFileIsFixed() throws IOException {
        // Given a job whose file turned invalid
        write("alpha.yaml", spec("alpha", "example/alpha:1"));
        source.reload();
        write("alpha.yaml", invalidSpec("alpha"));
        source.reload();

        // When the file is fixed with a new image
        write("alpha.yaml", spec("alpha", "example/alpha:3"));
        source.reload();

        // Then the new version runs, and nothing is reported any more
        assertThat(job("alpha").spec().image()).isEqualTo("example/alpha:3");
        assertThat(catalog.snapshot().problems()).isEmpty();
    }

    @Test
    void shouldListTheFileWithoutAJobWhenItWasNeverValid() throws IOException {
        // Given a file that is invalid from the start
        write("broken.yaml", invalidSpec("broken"));

        // When the source reads the directory
        source.reload();

        // Then no job is registered, and the problem keeps no job
        assertThat(catalog.snapshot().jobs()).isEmpty();
        assertThat(catalog.snapshot().problems()).singleElement().satisfies(problem -> {
            assertThat(problem.source()).endsWith("broken.yaml");
            assertThat(problem.keptJob()).isEmpty();
            assertThat(problem.problems()).anySatisfy(line -> assertThat(line).contains("resources.memory"));
        });
    }

    @Test
    void shouldDropTheJobWhenItsFileIsDeleted() throws IOException {
        // Given two loaded jobs
        Path alpha = write("alpha.yaml", spec("alpha", "example/alpha:1"));
        write("beta.yaml", spec("beta", "example/beta:1"));
        source.reload();

        // When one file is deleted
        Files.delete(alpha);
        source.reload();

        // Then only the other job remains
        assertThat(catalog.snapshot().jobs()).containsOnlyKeys("beta");
        assertThat(published).hasValue(2);
    }

    @Test
    void shouldDropTheProblemWhenAnInvalidFileIsDeleted() throws IOException {
        // Given a job whose file turned invalid
        Path file = write("alpha.yaml", spec("alpha", "example/alpha:1"));
        source.reload();
        write("alpha.yaml", invalidSpec("alpha"));
        source.reload();

        // When the file is deleted
        Files.delete(file);
        source.reload();

        // Then neither the kept job nor the problem remain
        assertThat(catalog.snapshot().jobs()).isEmpty();
        assertThat(catalog.snapshot().problems()).isEmpty();
    }

    @Test
    void shouldKeepTheFirstFileAndReportTheOtherWhenTwoFilesNameTheSameJob() throws IOException {
        // Given two files that both define job "dup", b.yaml written first
        write("b.yaml", spec("dup", "example/from-b:1"));
        write("a.yaml", spec("dup", "example/from-a:1"));

        // When the source reads the directory
        source.reload();

        // Then the first file in name order wins, and the other is reported as ignored
        assertThat(job("dup").source()).endsWith("a.yaml");
        assertThat(job("dup").spec().image()).isEqualTo("example/from-a:1");
        SpecProblem problem = catalog.snapshot().problems().get(0);
        assertThat(catalog.snapshot().problems()).hasSize(1);
        assertThat(problem.source()).endsWith("b.yaml");
        assertThat(problem.keptJob()).isEmpty();
        assertThat(problem.problems()).singleElement().satisfies(line -> assertThat(line)
                .contains("name: dup is already defined in")
                .contains("a.yaml")
                .contains("this file is ignored"));
    }

    @Test
    void shouldLetTheOtherFileTakeOverWhenTheWinningDuplicateIsDeleted() throws IOException {
        // Given two files defining job "dup", a.yaml winning
        Path a = write("a.yaml", spec("dup", "example/from-a:1"));
        write("b.yaml", spec("dup", "example/from-b:1"));
        source.reload();

        // When a.yaml is deleted
        Files.delete(a);
        source.reload();

        // Then b.yaml's job runs, and nothing is reported
        assertThat(job("dup").source()).endsWith("b.yaml");
        assertThat(catalog.snapshot().problems()).isEmpty();
    }

    @Test
    void shouldNotPublishWhenNoFileChanged() throws IOException {
        // Given a loaded directory
        write("alpha.yaml", spec("alpha", "example/alpha:1"));
        source.reload();
        JobCatalog.Snapshot before = catalog.snapshot();

        // When it is read again with nothing changed
        source.reload();
        source.reload();

        // Then the catalog heard of one change only, and holds the same snapshot
        assertThat(published).hasValue(1);
        assertThat(catalog.snapshot()).isSameAs(before);
    }

    @Test
    void shouldReadAFileAgainWhenOnlyItsModificationTimeChangedButPublishOnlyANewVersion() throws IOException {
        // Given a loaded directory
        Path file = write("alpha.yaml", spec("alpha", "example/alpha:1"));
        source.reload();

        // When the file is rewritten with content of the same size, at a new modification time
        Files.writeString(file, spec("alpha", "example/alpha:2"));
        Files.setLastModifiedTime(file, FileTime.from(FIRST_WRITE.plusSeconds(3600)));
        source.reload();

        // Then it was read again
        assertThat(published).hasValue(2);
        assertThat(job("alpha").spec().image()).isEqualTo("example/alpha:2");

        // When it is only touched (a checkout, a copy that keeps the content)
        Files.setLastModifiedTime(file, FileTime.from(FIRST_WRITE.plusSeconds(7200)));
        source.reload();

        // Then the catalog hears of no change: the same spec was read
        assertThat(published).hasValue(2);
    }

    @Test
    void shouldNameTheDirectoryAndTheConfigKeyWhenTheDirectoryDoesNotExist() {
        // Given a source over a directory that is not there
        Path missing = dir.resolve("no-such-jobs");
        var missingSource = new DirectoryJobSource(missing, catalog);

        // When / Then reloading fails, saying which directory and which setting to fix
        assertThatThrownBy(missingSource::reload)
                .isInstanceOf(SkiffException.class)
                .hasMessageContaining(missing.toAbsolutePath().toString())
                .hasMessageContaining("skiff.jobs.location");
        assertThat(published).hasValue(0);
    }

    @Test
    void shouldWriteANewFileNamedAfterTheJobWhenAnUnknownJobIsPut() throws IOException {
        // Given an empty directory
        source.reload();

        // When a job is put and the directory read again
        source.put("alpha", spec("alpha", "example/alpha:1"));
        source.reload();

        // Then it is in alpha.yaml, no temporary file is left, and the job is loaded
        assertThat(Files.readString(dir.resolve("alpha.yaml"))).contains("example/alpha:1");
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(f -> f.getFileName().toString())).containsExactly("alpha.yaml");
        }
        assertThat(job("alpha").spec().image()).isEqualTo("example/alpha:1");
    }

    @Test
    void shouldReplaceTheFileTheJobCameFromWhenAKnownJobIsPut() throws IOException {
        // Given job alpha loaded from a file named otherwise
        write("pipelines.yml", spec("alpha", "example/alpha:1"));
        source.reload();

        // When a new version is put (of the same size, in the same second as far as the file system shows)
        source.put("alpha", spec("alpha", "example/alpha:2"));
        source.reload();

        // Then that file holds it, no second file appears, and the new version is loaded
        assertThat(Files.readString(dir.resolve("pipelines.yml"))).contains("example/alpha:2");
        assertThat(dir.resolve("alpha.yaml")).doesNotExist();
        assertThat(job("alpha").spec().image()).isEqualTo("example/alpha:2");
    }

    @Test
    void shouldDeleteTheJobsFileWhenTheJobIsDeleted() throws IOException {
        // Given two loaded jobs
        Path alpha = write("alpha.yaml", spec("alpha", "example/alpha:1"));
        write("beta.yaml", spec("beta", "example/beta:1"));
        source.reload();

        // When one is deleted
        boolean deleted = source.delete("alpha");
        source.reload();

        // Then its file is gone, the other job stays, and deleting it again finds nothing
        assertThat(deleted).isTrue();
        assertThat(alpha).doesNotExist();
        assertThat(catalog.snapshot().jobs()).containsOnlyKeys("beta");
        assertThat(source.delete("alpha")).isFalse();
    }

    @Test
    void shouldRefuseASpecFileOverTheSizeBoundAndLoadTheOthers() throws IOException {
        // Given a valid spec, and one that would be valid too but is padded past 256 KiB with a comment
        write("alpha.yaml", spec("alpha", "example/alpha:1"));
        Path huge = write("huge.yaml", spec("huge", "example/huge:1") + "# " + "x".repeat(JobSpecs.MAX_TEXT_BYTES) + "\n");

        // When the directory is read
        source.reload();

        // Then the huge file is a problem naming it and the bound, and only the other job is loaded
        assertThat(catalog.snapshot().jobs()).containsOnlyKeys("alpha");
        assertThat(catalog.snapshot().problems()).singleElement().satisfies(problem -> {
            assertThat(problem.source()).isEqualTo(huge.toString());
            assertThat(problem.problems()).singleElement().asString()
                    .isEqualTo(huge + ": is over 262144 bytes (256 KiB), the most a job spec may hold; it was not read");
        });
    }
}
