package dev.skiff.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Everything under {@code skiff.}: which adapters run, and where the embedded default keeps its files. */
@ConfigMapping(prefix = "skiff")
public interface SkiffConfig {

    /**
     * Which runtime: {@code embedded} (default, needs nothing) or {@code stepfunctions}. Read only by {@link ModeChoice},
     * which also checks it against {@link #launcher}.
     */
    @WithDefault("embedded")
    String engine();

    /** Which TaskLauncher: {@code process} (default, local child processes) or {@code fargate}; {@code stepfunctions} needs {@code fargate}. */
    @WithDefault("process")
    String launcher();

    /** Where the embedded engine keeps its database and the process launcher its logs. */
    @WithDefault(".skiff")
    Path dataDir();

    Jobs jobs();

    Embedded embedded();

    Logs logs();

    interface Jobs {
        /**
         * How far back, after a start, the deadlines of schedules ({@code deadline:}) are checked again: a deadline
         * that passed while Skiff was down longer than this is not announced.
         */
        @WithDefault("1d")
        Duration deadlineLookback();

        /** A directory of job specs (*.yaml, *.yml, *.json), or an S3 prefix {@code s3://bucket/prefix/} (AWS mode). */
        @WithDefault("jobs/examples")
        String location();

        /**
         * How often the registry is checked for changed specs: a change made through Skiff, or seen by a directory
         * watch, is in the catalog within this.
         */
        @WithDefault("2s")
        Duration reloadInterval();

        /**
         * How often the whole registry is listed, as a safety net for changes no cheaper signal reports: a directory
         * on a file system without change notifications (or a lost one); in an S3 registry, objects written to the
         * bucket other than through Skiff. Zero lists it on every reload.
         */
        @WithDefault("5m")
        Duration fullListInterval();

        /**
         * Whether a directory registry keeps the specs it checked in {@code <skiff.data-dir>/spec-cache.bin}, so that a
         * restart takes each unchanged file's spec from there instead of checking it again (at 100,000 specs, most of
         * the time to start). Entries are known by the SHA-256 of the file's text and the checker's version. With an S3
         * registry in AWS mode it is the signed registry snapshot {@code <prefix>.skiff/registry-snapshot} instead,
         * which a restarting replica reads in place of one GetObject per unchanged spec.
         */
        @WithDefault("true")
        boolean specCache();
    }

    interface Embedded {
        /** Attempts running at once; more runs wait as PENDING in the database, not in memory. */
        @WithDefault("8")
        int maxConcurrentAttempts();

        /** How long a stopped local process gets between SIGTERM and SIGKILL. */
        @WithDefault("10s")
        Duration stopGracePeriod();

        /**
         * The directory under which a pipeline step's {@code forEach.list} may list files; a path outside it, by
         * {@code ..} or a symbolic link, fails the step. Default: the orchestrator's working directory.
         */
        Optional<Path> listRoot();
    }

    /** Followers of a log ({@code GET /runs/{id}/log?follow=true}): how often they poll, and how many there may be. */
    interface Logs {
        /** How often a follower reads its log while lines arrive. */
        @WithDefault("1s")
        Duration pollInterval();

        /** The longest wait between reads: a follower whose log is quiet backs off to this, and so do failed reads. */
        @WithDefault("5s")
        Duration idlePollInterval();

        /** A quiet follow sends a {@code : keep-alive} comment this often, so proxies keep the connection open. */
        @WithDefault("15s")
        Duration keepAlive();

        /** Failed reads of the log store in a row (CloudWatch throttling, say) before a follow ends with an error. */
        @WithDefault("3")
        int readRetries();

        /** Followers at once, in all; one more is answered 429. */
        @WithDefault("100")
        int maxFollowers();

        /** Followers at once per team (with api-keys; every caller counts as one when authentication is off). */
        @WithDefault("20")
        int maxFollowersPerTeam();

        /** Threads that read followed logs, shared by all followers (none of them holds one while it waits). */
        @WithDefault("2")
        int threads();
    }
}
