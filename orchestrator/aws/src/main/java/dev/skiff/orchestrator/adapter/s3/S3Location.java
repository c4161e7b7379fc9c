package dev.skiff.orchestrator.adapter.s3;

import dev.skiff.orchestrator.domain.SkiffException;
import java.util.regex.Pattern;

/**
 * A registry prefix written {@code s3://bucket/prefix/}. The prefix is empty or ends with {@code /}, so
 * {@code s3://b/jobs} and {@code s3://b/jobs/} name the same place.
 */
public record S3Location(String bucket, String prefix) {

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public static boolean isS3(String location) {
        return location.startsWith("s3://");
    }

    public static S3Location parse(String location) {
        if (!isS3(location)) {
            throw new SkiffException("skiff.jobs.location: " + location + " is not an S3 location (s3://bucket/prefix/)");
        }
        String rest = location.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (!BUCKET.matcher(bucket).matches()) {
            throw new SkiffException("skiff.jobs.location: " + location + " does not name a valid S3 bucket"
                    + " (3-63 lowercase letters, digits, '.' and '-'), as in s3://bucket/prefix/");
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        return new S3Location(bucket, prefix);
    }

    /** The key of a spec named {@code fileName} directly under the prefix. */
    public String key(String fileName) {
        return prefix + fileName;
    }

    public String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public String toString() {
        return uri(prefix);
    }
}
