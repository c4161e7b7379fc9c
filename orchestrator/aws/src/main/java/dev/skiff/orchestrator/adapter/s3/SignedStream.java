package dev.skiff.orchestrator.adapter.s3;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Mac;

/**
 * The content of a stream that ends with its signature: yields every byte but the last {@code signatureBytes}, each
 * fed to the MAC as it goes by, so that a large signed object is read and checked in one pass, never held whole.
 * Reading stops with {@link TooLarge} past {@code atMost} bytes: whoever may write the object chooses its length.
 */
final class SignedStream extends InputStream {

    /** The content runs past the bound the reader set. */
    static final class TooLarge extends IOException {
        TooLarge(long atMost) {
            super("more than " + atMost + " bytes", null);
        }
    }

    private final InputStream in;
    private final Mac mac;
    private final int signatureBytes;
    private final long atMost;
    /** Read from {@code in} and not yet yielded: {@code buffer[start, end)}; its last signatureBytes may be the signature. */
    private final byte[] buffer;
    private int start;
    private int end;
    private boolean ended;
    private long yielded;

    SignedStream(InputStream in, Mac mac, int signatureBytes, long atMost) {
        this.in = in;
        this.mac = mac;
        this.signatureBytes = signatureBytes;
        this.atMost = atMost;
        this.buffer = new byte[(1 << 16) + signatureBytes];
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int ready = fill();
        if (ready == 0) {
            return -1;
        }
        int n = Math.min(length, ready);
        if (yielded + n > atMost) {
            throw new TooLarge(atMost);
        }
        System.arraycopy(buffer, start, into, offset, n);
        mac.update(buffer, start, n);
        start += n;
        yielded += n;
        return n;
    }

    /** How many bytes may be yielded now (more than the signature's are buffered), 0 only at the content's end. */
    private int fill() throws IOException {
        while (!ended && end - start <= signatureBytes) {
            if (start > 0) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            int n = in.read(buffer, end, buffer.length - end);
            if (n == -1) {
                ended = true;
            } else {
                end += n;
            }
        }
        return Math.max(0, end - start - signatureBytes);
    }

    /** The signature, once the content was read to its end; empty if the stream was shorter than a signature. */
    Optional<byte[]> signature() {
        if (!ended || end - start != signatureBytes) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(buffer, start, end));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
