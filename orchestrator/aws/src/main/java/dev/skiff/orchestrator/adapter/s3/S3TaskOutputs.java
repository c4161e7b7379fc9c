package dev.skiff.orchestrator.adapter.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.orchestrator.port.BoundedText;
import dev.skiff.orchestrator.port.TaskEnd;
import dev.skiff.orchestrator.port.TaskRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Where a Fargate task writes its JSON output, and how the orchestrator reads it when the task stops:
 * {@code s3://<bucket>/<prefix>.skiff/outputs/<owner>/<run id>/<step>[/<item>]/<attempt>.json}, beside the job specs.
 * The owner comes first so that a team's task role may write under {@code .skiff/outputs/<owner>/*} and nowhere
 * else (infra); each attempt has its own object, so a retry never reads an earlier attempt's output.
 */
public final class S3TaskOutputs {

    static final String FOLDER = ".skiff/outputs/";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The task's output is not what a step may write: the attempt fails with {@code Skiff.BadOutput}. */
    public static final class BadOutputException extends RuntimeException {
        public BadOutputException(String message) {
            super(message);
        }
    }

    private final S3Client s3;
    private final S3Location location;

    public S3TaskOutputs(S3Client s3, S3Location location) {
        this.s3 = s3;
        this.location = location;
    }

    /** The object the attempt may write its output to. */
    public String uriOf(TaskRequest request) {
        String item = request.item() == TaskRequest.NO_ITEM ? "" : "/" + request.item();
        return location.uri(location.key(FOLDER + request.job().owner() + "/" + request.runId() + "/" + request.step()
                + item + "/" + request.attempt() + ".json"));
    }

    /**
     * The output the task wrote; empty when it wrote none.
     *
     * @throws BadOutputException when it is larger than {@value TaskEnd#MAX_OUTPUT_BYTES} bytes or not JSON, or the
     *                            URI is not one of this store's
     */
    public Optional<String> read(String uri) {
        String mine = location.uri(location.key(FOLDER));
        if (!uri.startsWith(mine) || uri.contains("/../")) {
            throw new BadOutputException("SKIFF_OUTPUT_URI " + uri + " is not under " + mine);
        }
        String key = uri.substring(("s3://" + location.bucket() + "/").length());
        String text;
        // One GetObject read up to the bound, not a HeadObject first: the task could replace the object in between.
        try (var object = s3.getObject(r -> r.bucket(location.bucket()).key(key))) {
            Optional<String> bounded = BoundedText.read(object, TaskEnd.MAX_OUTPUT_BYTES);
            if (bounded.isEmpty()) {
                object.abort(); // the rest is not wanted: drop the connection rather than drain it
                throw new BadOutputException("the output " + uri + " is " + object.response().contentLength()
                        + " bytes; a step's output is at most " + TaskEnd.MAX_OUTPUT_BYTES
                        + " bytes (Step Functions' payload limit)");
            }
            text = bounded.get();
        } catch (NoSuchKeyException none) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the output " + uri, e);
        }
        try {
            if (JSON.readTree(text) == null || JSON.readTree(text).isMissingNode()) {
                throw new BadOutputException("the output " + uri + " is empty; a step's output is a JSON document");
            }
        } catch (JsonProcessingException e) {
            throw new BadOutputException("the output " + uri + " is not JSON: " + e.getOriginalMessage());
        }
        return Optional.of(text);
    }
}
