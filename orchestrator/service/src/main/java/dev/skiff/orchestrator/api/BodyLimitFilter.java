package dev.skiff.orchestrator.api;

import dev.skiff.orchestrator.domain.PayloadTooLargeException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Bounds the bodies of job specs and events to 256 KiB, EventBridge's own limit for an event (and a PutEvents
 * request): far more than any spec needs, and a store or a rule set that stays small. A declared Content-Length
 * over the limit is refused at once; a chunked body is counted as it is read and refused when it passes the limit.
 */
@Provider
@BodyLimited
public class BodyLimitFilter implements ContainerRequestFilter {

    public static final int MAX_BYTES = 256 * 1024;

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getLength() > MAX_BYTES) {
            request.abortWith(ProblemMapper.problem(413, "Content Too Large", tooLarge(request.getLength() + " bytes"), List.of()));
            return;
        }
        request.setEntityStream(new Bounded(request.getEntityStream()));
    }

    static String tooLarge(String size) {
        return "the body (" + size + ") is over the limit of 256 KiB (" + MAX_BYTES + " bytes)";
    }

    /** Counts the bytes read and fails the read past the limit, so a body without a length is bounded too. */
    private static final class Bounded extends FilterInputStream {

        private long count;

        Bounded(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) {
            count += n;
            if (count > MAX_BYTES) {
                throw new PayloadTooLargeException(tooLarge("more than " + MAX_BYTES + " bytes"));
            }
        }
    }
}
