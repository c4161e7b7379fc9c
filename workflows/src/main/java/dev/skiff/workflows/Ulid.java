package dev.skiff.workflows;

import java.util.random.RandomGenerator;

/**
 * A ULID (github.com/ulid/spec): a 48-bit millisecond timestamp then 80 random bits, written as 26
 * Crockford base32 characters. The timestamp comes first so ids sort by creation time.
 */
final class Ulid {

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final long MAX_TIMESTAMP = (1L << 48) - 1;
    private static final int TIME_CHARS = 10;
    private static final int LENGTH = 26;

    private Ulid() {
    }

    static String encode(long epochMillis, RandomGenerator random) {
        if (epochMillis < 0 || epochMillis > MAX_TIMESTAMP) {
            throw new IllegalArgumentException("ULID time must be 0-" + MAX_TIMESTAMP + " ms since the epoch, got " + epochMillis);
        }
        char[] out = new char[LENGTH];
        // 10 characters carry 50 bits; the top 2 are zero because the timestamp has 48.
        for (int i = TIME_CHARS - 1; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (epochMillis & 31)];
            epochMillis >>>= 5;
        }
        // 80 random bits as 16 high bits and 64 low bits; 16 characters carry exactly 80 bits.
        long high = random.nextInt() & 0xFFFFL;
        long low = random.nextLong();
        for (int i = LENGTH - 1; i >= TIME_CHARS; i--) {
            out[i] = CROCKFORD[(int) (low & 31)];
            low = (low >>> 5) | ((high & 31) << 59);
            high >>>= 5;
        }
        return new String(out);
    }
}
