package dev.skiff.orchestrator.adapter.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.CheckedSpecs;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.RegisteredJob;
import dev.skiff.orchestrator.app.SpecProblem;
import dev.skiff.orchestrator.port.SpecHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory registry restarted on the cache file the previous start wrote: what the cache holds is used only when it
 * is whole and of this checker's version, and never makes an invalid spec valid.
 */
class SpecCacheFileTest {

    private static final String VERSION = "test-checker/1";

    @TempDir
    Path jobs;
    @TempDir
    Path data;

    private Path cacheFile() {
        return data.resolve("spec-cache.bin");
    }

    private static String spec(String name, String image) {
        return DirectoryJobSourceTest.spec(name, image);
    }

    /** A start: a registry on the directory and the cache file, read once, then its first reload after the start. */
    private JobCatalog start(String version) {
        var catalog = new JobCatalog();
        var cache = SpecCacheFile.open(cacheFile(), version, Duration.ofHours(1));
        var registry = new DirectoryJobSource(jobs, catalog, false, Duration.ZERO, cache);
        registry.reload();
        registry.reload();
        return catalog;
    }

    private static String image(JobCatalog catalog, String job) {
        RegisteredJob registered = catalog.snapshot().jobs().get(job);
        assertThat(registered).as("job %s in %s", job, catalog.snapshot().jobs().keySet()).isNotNull();
        return registered.spec().image();
    }

    /** A cache file holding, under the hash of {@code text}, the kept form of {@code cached}: only the cache could give it. */
    private void plant(String version, String text, String cached) {
        var cache = SpecCacheFile.open(cacheFile(), version, Duration.ofHours(1));
        cache.keep(SpecHash.of(text), CheckedSpecs.check("planted", cached).result().spec().orElseThrow());
        cache.close();
    }

    /** alpha.yaml written, and a cache entry of {@code version} under its text holding another image; gives the text. */
    private String alphaWithPlantedEntry(String version) throws IOException {
        String text = spec("alpha", "example/alpha:1");
        Files.writeString(jobs.resolve("alpha.yaml"), text);
        plant(version, text, spec("alpha", "example/from-cache:1"));
        return text;
    }

    @Test
    void shouldGiveEqualSpecsWhenRestartedOnTheCacheTheFirstStartWrote() throws IOException {
        // Given a first start on two specs, which writes the cache
        Files.writeString(jobs.resolve("alpha.yaml"), spec("alpha", "example/alpha:1"));
        Files.writeString(jobs.resolve("beta.yaml"), spec("beta", "example/beta:1"));
        JobCatalog first = start(VERSION);
        assertThat(cacheFile()).exists();

        // When it starts again
        JobCatalog again = start(VERSION);

        // Then the catalog holds the same jobs
        assertThat(again.snapshot().jobs()).isEqualTo(first.snapshot().jobs());
    }

    @Test
    void shouldTakeTheSpecFromTheCacheWhenTheFilesTextIsThere() throws IOException {
        // Given a cache entry under alpha's text holding another image
        String text = alphaWithPlantedEntry(VERSION);

        // When the service starts / Then alpha comes from the cache
        assertThat(image(start(VERSION), "alpha")).isEqualTo("example/from-cache:1");
    }

    @Test
    void shouldCheckTheFileAgainWhenItChangedSinceTheCacheWasWritten() throws IOException {
        // Given a start that cached alpha at version 1, then alpha edited while Skiff was down
        Files.writeString(jobs.resolve("alpha.yaml"), spec("alpha", "example/alpha:1"));
        start(VERSION);
        Files.writeString(jobs.resolve("alpha.yaml"), spec("alpha", "example/alpha:2"));

        // When it starts again / Then version 2 is loaded
        assertThat(image(start(VERSION), "alpha")).isEqualTo("example/alpha:2");
    }

    /** alpha.yaml holding {@code image}, last modified at {@code modified}. */
    private void writeAlpha(String image, FileTime modified) throws IOException {
        Path alpha = jobs.resolve("alpha.yaml");
        Files.writeString(alpha, spec("alpha", image));
        Files.setLastModifiedTime(alpha, modified);
    }

    @Test
    void shouldTakeAnUnchangedFilesSpecWithoutReadingItWhenItShowsTheStampRecorded() throws IOException {
        // Given a first start on a file last modified an hour ago
        FileTime anHourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
        writeAlpha("example/alpha:1", anHourAgo);
        start(VERSION);

        // When the file's text is replaced by one of the same size and its time put back, then Skiff starts again
        writeAlpha("example/alpha:2", anHourAgo);
        JobCatalog again = start(VERSION);

        // Then its spec came from the cache by the file's stamp, as a reload trusts it: the file was not read
        assertThat(image(again, "alpha")).isEqualTo("example/alpha:1");
    }

    /**
     * Files whose stamp cannot be trusted to tell the change: {@code [case, modified before the first start, modified
     * before the second]}, as durations before now.
     */
    static Stream<Arguments> changesWhileDown() {
        return Stream.of(
                Arguments.of("changed while down, another modification time",
                        Duration.ofHours(1), Duration.ofMinutes(30)),
                // a change within the file system's timestamp granularity could keep the time of a file modified now
                Arguments.of("modified just before it was read, the same time kept",
                        Duration.ZERO, Duration.ZERO));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changesWhileDown")
    void shouldReadTheFileAgainWhenItsStampCannotTellTheChange(String change, Duration first, Duration second)
            throws IOException {
        // Given a first start on a file
        Instant now = Instant.now();
        writeAlpha("example/alpha:1", FileTime.from(now.minus(first)));
        start(VERSION);

        // When its text changes (same size) before the next start
        writeAlpha("example/alpha:2", FileTime.from(now.minus(second)));
        JobCatalog again = start(VERSION);

        // Then the file was read and checked again
        assertThat(image(again, "alpha")).isEqualTo("example/alpha:2");
    }

    @Test
    void shouldIgnoreACacheOfAnotherCheckerVersionAndWriteItAnew() throws IOException {
        // Given an entry for alpha's text planted by another version of the checker
        String text = alphaWithPlantedEntry("older-checker/0");

        // When this version starts / Then alpha is checked from its file, and the cache is this version's now
        assertThat(image(start(VERSION), "alpha")).isEqualTo("example/alpha:1");
        assertThat(SpecCacheFile.open(cacheFile(), VERSION, Duration.ZERO).find(SpecHash.of(text))).isPresent();
    }

    /**
     * Changes the first byte of {@code where} in the cache file to {@code to}; {@code summedAgain}: the checksum at its end
     * is made to match, as if the file had been written so.
     */
    private void damage(String where, char to, boolean summedAgain) throws IOException {
        byte[] bytes = Files.readAllBytes(cacheFile());
        bytes[new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf(where)] = (byte) to;
        if (summedAgain) {
            var crc = new java.util.zip.CRC32();
            crc.update(bytes, 0, bytes.length - Long.BYTES);
            java.nio.ByteBuffer.wrap(bytes).putLong(bytes.length - Long.BYTES, crc.getValue());
        }
        Files.write(cacheFile(), bytes);
    }

    @Test
    void shouldIgnoreACacheCutShortAndStillStartWithTheFilesSpecs() throws IOException {
        // Given a planted cache cut short
        String text = alphaWithPlantedEntry(VERSION);
        byte[] whole = Files.readAllBytes(cacheFile());
        Files.write(cacheFile(), Arrays.copyOf(whole, whole.length / 2));

        // When the service starts / Then alpha is checked from its file
        assertThat(image(start(VERSION), "alpha")).isEqualTo("example/alpha:1");
    }

    @Test
    void shouldIgnoreACacheWithADamagedByteAndStillStartWithTheFilesSpecs() throws IOException {
        // Given a planted cache with one byte of its entry changed, the length kept
        alphaWithPlantedEntry(VERSION);
        damage("from-cache", 'F', false);

        // When the service starts / Then the entry is not trusted: alpha is checked from its file
        assertThat(image(start(VERSION), "alpha")).isEqualTo("example/alpha:1");
    }

    @Test
    void shouldCheckTheFileAgainWhenItsKeptFormCannotBeReadThoughTheSumMatches() throws IOException {
        // Given a planted cache whose entry is no kept form (a length made a letter), summed again as if written so
        String text = alphaWithPlantedEntry(VERSION);
        damage("5:alpha", 'x', true);

        // When the service starts / Then alpha is checked from its file, and the entry is not found
        assertThat(image(start(VERSION), "alpha")).isEqualTo("example/alpha:1");
        assertThat(SpecCacheFile.open(cacheFile(), VERSION, Duration.ZERO).find(SpecHash.of(text))).isPresent()
                .get().extracting(spec -> spec.image()).isEqualTo("example/alpha:1");
    }

    @Test
    void shouldGiveBackTheFormsOfTheSpecsItWasGivenWhenReadAgain() throws IOException {
        // Given a cache given a spec with triggers, parameters and a schedule, and written
        String text = spec("alpha", "example/alpha:1");
        var rich = CheckedSpecs.check("rich", DirectoryJobSourceTest.spec("rich", "example/rich:1") + """
                parameters: {day: {default: today}}
                triggers:
                  schedules: [{cron: "0 2 * * *"}]
                  events: [{pattern: {source: [shop]}, parameters: {day: $.detail.day}}]
                  after: [{job: alpha, status: [SUCCEEDED, FAILED]}]
                """).result();
        assertThat(rich.violations()).isEmpty();
        var cache = SpecCacheFile.open(cacheFile(), VERSION, Duration.ZERO);
        cache.keep(SpecHash.of(text), rich.spec().orElseThrow());
        cache.close();

        // When it is opened again / Then it gives an equal spec under the same hash
        assertThat(SpecCacheFile.open(cacheFile(), VERSION, Duration.ZERO).find(SpecHash.of(text))).isEqualTo(rich.spec());
    }

    @Test
    void shouldIgnoreAFileThatIsNoCacheAtAll() throws IOException {
        Files.writeString(jobs.resolve("alpha.yaml"), spec("alpha", "example/alpha:1"));
        Files.writeString(cacheFile(), "hello");

        assertThat(image(start(VERSION), "alpha")).isEqualTo("example/alpha:1");
    }

    @Test
    void shouldReportAnInvalidSpecAgainWhenRestartedOnTheCache() throws IOException {
        // Given a first start on a valid and an invalid spec
        Files.writeString(jobs.resolve("alpha.yaml"), spec("alpha", "example/alpha:1"));
        Files.writeString(jobs.resolve("broken.yaml"), spec("broken", "example/broken:1") + "timeout: forever\n");
        start(VERSION);

        // When it starts again
        JobCatalog again = start(VERSION);

        // Then the invalid one is still refused, with its problem
        assertThat(again.snapshot().jobs()).containsOnlyKeys("alpha");
        assertThat(again.snapshot().problems()).extracting(SpecProblem::source).singleElement().asString()
                .endsWith("broken.yaml");
        assertThat(again.snapshot().problems().get(0).problems()).singleElement().asString().contains("timeout");
    }

    @Test
    void shouldDropTheEntriesOfFilesGoneWhenWrittenAfterTheFirstLoad() throws IOException {
        // Given a start on alpha and beta, then beta deleted while Skiff was down
        String beta = spec("beta", "example/beta:1");
        Files.writeString(jobs.resolve("alpha.yaml"), spec("alpha", "example/alpha:1"));
        Files.writeString(jobs.resolve("beta.yaml"), beta);
        start(VERSION);
        Files.delete(jobs.resolve("beta.yaml"));

        // When it starts again
        start(VERSION);

        // Then the cache written after that load holds alpha only
        var cache = SpecCacheFile.open(cacheFile(), VERSION, Duration.ZERO);
        assertThat(cache.find(SpecHash.of(spec("alpha", "example/alpha:1")))).isPresent();
        assertThat(cache.find(SpecHash.of(beta))).isEmpty();
    }

    @Test
    void shouldLeaveTheFirstWriteToTheReloadAfterTheStartsLoad() throws IOException {
        // Given a registry on two specs and no cache file yet
        Files.writeString(jobs.resolve("alpha.yaml"), spec("alpha", "example/alpha:1"));
        Files.writeString(jobs.resolve("beta.yaml"), spec("beta", "example/beta:1"));
        var registry = new DirectoryJobSource(jobs, new JobCatalog(), false, Duration.ZERO,
                SpecCacheFile.open(cacheFile(), VERSION, Duration.ofHours(1)));

        // When it loads them at the start
        registry.reload();

        // Then the start wrote no cache (it is for the next start, and 100,000 entries cost a first start a second)
        assertThat(cacheFile()).doesNotExist();

        // When it reloads next (the reload thread, after the service is up)
        registry.reload();

        // Then that reload wrote both specs, though the write interval is an hour
        var cache = SpecCacheFile.open(cacheFile(), VERSION, Duration.ZERO);
        assertThat(cache.find(SpecHash.of(spec("alpha", "example/alpha:1")))).isPresent();
        assertThat(cache.find(SpecHash.of(spec("beta", "example/beta:1")))).isPresent();
    }

    @Test
    void shouldNotWriteAgainBeforeTheIntervalWhenASpecChanges() throws IOException {
        // Given a cache written after the first load
        var cache = SpecCacheFile.open(cacheFile(), VERSION, Duration.ofHours(1));
        cache.keep(SpecHash.of("a"), CheckedSpecs.check("a", spec("alpha", "example/alpha:1")).result().spec().orElseThrow());
        cache.flush();
        cache.flush();
        var written = Files.getLastModifiedTime(cacheFile());
        byte[] before = Files.readAllBytes(cacheFile());

        // When another spec is kept and the registry flushes on its next reload
        cache.keep(SpecHash.of("b"), CheckedSpecs.check("b", spec("beta", "example/beta:1")).result().spec().orElseThrow());
        cache.flush();

        // Then the file is as it was: it is written again an interval later, not on every reload
        assertThat(Files.readAllBytes(cacheFile())).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(cacheFile())).isEqualTo(written);
    }

    @Test
    void shouldStoreTheSpecsChangedSinceTheLastWriteWhenTheRegistryIsClosed() throws IOException {
        // Given a registry whose cache was written after its first load, not due again for an hour
        Files.writeString(jobs.resolve("alpha.yaml"), spec("alpha", "example/alpha:1"));
        var cache = SpecCacheFile.open(cacheFile(), VERSION, Duration.ofHours(1));
        var registry = new DirectoryJobSource(jobs, new JobCatalog(), false, Duration.ZERO, cache);
        registry.reload();
        registry.reload();
        String changed = spec("alpha", "example/alpha:2");
        Files.writeString(jobs.resolve("alpha.yaml"), changed);
        registry.reload();
        assertThat(SpecCacheFile.open(cacheFile(), VERSION, Duration.ZERO).find(SpecHash.of(changed))).isEmpty();

        // When it is closed (a clean shutdown)
        registry.close();

        // Then the next start finds the changed spec in the cache
        assertThat(SpecCacheFile.open(cacheFile(), VERSION, Duration.ZERO).find(SpecHash.of(changed))).isPresent();
    }
}
