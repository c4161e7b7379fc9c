package dev.skiff.orchestrator.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names of this machine that a request or a bind address may use when the API has no authentication. Names
 * are compared as text and never resolved: a name that resolves to 127.0.0.1 today (a rebound attacker domain)
 * is exactly what must not pass.
 */
public final class LoopbackNames {

    /** What a Host header or an origin may name, without its port. */
    static final Set<String> HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
    static final String LISTED = "localhost, 127.x.x.x or [::1]";

    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.[0-9]{1,3}){3}");

    private LoopbackNames() {
    }

    /**
     * Whether a Host header ({@code name} or {@code name:port}) names this machine: localhost, [::1], or a 127.x.x.x
     * literal (the service may be bound to any; an address literal cannot be rebound as a name can).
     */
    static boolean isLoopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String lower = host.trim().toLowerCase(Locale.ROOT);
        int colon = lower.lastIndexOf(':');
        // "[::1]" has colons inside the brackets: only one after "]" separates a port.
        if (colon > lower.lastIndexOf(']')) {
            if (!PORT.matcher(lower.substring(colon + 1)).matches()) {
                return false;
            }
            lower = lower.substring(0, colon);
        }
        return HOSTS.contains(lower) || IPV4_LOOPBACK.matcher(lower).matches();
    }

    /** Whether an Origin header is a page served by this machine: {@code http(s)://<loopback name>[:port]}. */
    static boolean isLoopbackOrigin(String origin) {
        try {
            URI uri = new URI(origin.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getRawAuthority() != null
                    && uri.getRawUserInfo() == null && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                    && isLoopbackHost(uri.getRawAuthority());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * Whether an address (a {@code quarkus.http.host}, a URL's host) is this machine's own: {@code localhost},
     * {@code ::1} or 127.x.x.x, which other machines cannot reach.
     */
    public static boolean isLoopbackAddress(String address) {
        String lower = address.trim().toLowerCase(Locale.ROOT);
        return lower.equals("localhost") || lower.equals("::1") || lower.equals("[::1]")
                || IPV4_LOOPBACK.matcher(lower).matches();
    }
}
