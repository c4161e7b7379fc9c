package dev.skiff.orchestrator.port;

import java.io.DataInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The SHA-256 of a spec's text (UTF-8): what a {@link CheckedSpecCache} knows a spec by, whatever file holds it. */
public record SpecHash(long first, long second, long third, long fourth) {

    public static final int BYTES = 32;

    public static SpecHash of(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return read(ByteBuffer.wrap(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Reads the {@value #BYTES} bytes {@link #write} wrote. */
    public static SpecHash read(ByteBuffer in) {
        return new SpecHash(in.getLong(), in.getLong(), in.getLong(), in.getLong());
    }

    /** As {@link #read(ByteBuffer)}, from a stream. */
    public static SpecHash read(DataInput in) throws IOException {
        return new SpecHash(in.readLong(), in.readLong(), in.readLong(), in.readLong());
    }

    public void write(ByteBuffer out) {
        out.putLong(first).putLong(second).putLong(third).putLong(fourth);
    }
}
