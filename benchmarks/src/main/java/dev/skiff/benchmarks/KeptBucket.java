package dev.skiff.benchmarks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A scale bucket kept on a moto_server left running between benchmark runs ({@code -Dbench.scaleS3Bucket} with
 * {@code -Dbench.motoEndpoint}): seeding 100,000 objects into moto takes minutes a run. A bucket counts as seeded once
 * its every spec was put (a mark outside the registry's prefix says so); before it is used again, what an earlier run
 * changed is put back, so that each run starts from the same specs and the same state machines.
 */
final class KeptBucket {

    private KeptBucket() {
    }

    private static String mark(int jobs) {
        return "seeded/" + jobs;
    }

    /** Whether the bucket exists and an earlier run put all {@code jobs} specs into it. */
    static boolean reusable(S3Client s3, String bucket, int jobs) {
        try {
            s3.headObject(r -> r.bucket(bucket).key(mark(jobs)));
            return true;
        } catch (NoSuchBucketException | NoSuchKeyException missing) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Marks the bucket as holding all {@code jobs} specs: written only after the last put succeeded. */
    static void markSeeded(S3Client s3, String bucket, int jobs) {
        s3.putObject(r -> r.bucket(bucket).key(mark(jobs)), RequestBody.fromString("seeded", StandardCharsets.UTF_8));
    }

    /**
     * Puts back the specs the change rounds edited, and deletes the state machines earlier runs made for the scale
     * jobs (all of them: the restart's steady state needs every one), so that the warmer plans as many as on a fresh
     * moto: the first start is a first deploy. The registry's
     * files under {@code .skiff/} stay: the first start reads the snapshot an earlier run left (the restart, which
     * follows the first start within minutes, reads the one the first start wrote, as without a kept bucket).
     */
    static void reset(S3Client s3, URI endpoint, String bucket, int jobs, RegistryWriter seeder) throws Exception {
        for (int job : ScaleBenchmark.changedJobs()) {
            if (job < jobs) {
                seeder.write(ScaleBenchmark.name(job), ScaleBenchmark.spec(job, 0));
            }
        }
        ScaleMachines.deleteAll(endpoint);
    }

    /** Puts one spec's text as the object of job {@code name}. */
    interface RegistryWriter {
        void write(String name, String text) throws Exception;
    }
}
