package dev.skiff.orchestrator.port;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A text as the files of checked specs store it (the directory registry's spec cache, the S3 registry's snapshot):
 * its UTF-8 length as a big-endian int, then the bytes.
 */
public final class LengthPrefixedText {

    private LengthPrefixedText() {
    }

    public static void write(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /**
     * Reads a text {@link #write} wrote from a buffer over an array.
     *
     * @throws IllegalArgumentException when the length is negative or runs past the buffer's limit
     */
    public static String read(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("a text of " + length + " bytes where " + in.remaining() + " are left");
        }
        String text = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return text;
    }

    /**
     * Reads a text {@link #write} wrote from a stream.
     *
     * @param atMost the most bytes the text can have (what the stream holds at most): a damaged length never makes a
     *               larger array
     * @throws IllegalArgumentException when the length is negative or above {@code atMost}
     * @throws EOFException             when the stream ends first
     */
    public static String read(DataInputStream in, long atMost) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > atMost) {
            throw new IllegalArgumentException("a text of " + length + " bytes in a file of " + atMost);
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("a text of " + length + " bytes cut short at " + bytes.length);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
