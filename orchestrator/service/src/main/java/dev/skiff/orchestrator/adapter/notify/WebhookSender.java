package dev.skiff.orchestrator.adapter.notify;

import dev.skiff.jobs.NotifyChannel;
import dev.skiff.jobs.SkiffSignature;
import dev.skiff.orchestrator.port.Notification;
import dev.skiff.orchestrator.port.NotificationFailure;
import dev.skiff.orchestrator.port.NotificationSender;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Webhook notifications: a POST of {@link WebhookBody} to the channel's URL, signed like the webhooks Skiff receives
 * ({@link SkiffSignature}: HMAC-SHA256 of timestamp and body) when a secret is configured. A 2xx is delivered; a 429,
 * a 5xx, a timeout or a broken connection may pass on another attempt; any other answer (a redirect, which is never
 * followed, or a 4xx) fails for good.
 * <p>
 * Unless private addresses are allowed, the host must resolve to public addresses only, and the URL must be
 * https. The check resolves the host right before the request; the request's own lookup comes milliseconds later and
 * is answered from the JVM's address cache (networkaddress.cache.ttl, 30 s by default), not by asking the DNS server
 * again, so a name that rebinds to a private address between the two is caught unless its cache entry expires in
 * between.
 */
public final class WebhookSender implements NotificationSender {

    /** Looks a host's addresses up; the JVM's resolver outside tests. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    public static final String EVENT_ID_HEADER = "x-skiff-event-id";
    static final String USER_AGENT = "Skiff-Notifications";

    /** Built at the first send: a JDK HTTP client sets up TLS (a few hundred classes) and starts a selector thread,
     * which a service whose jobs send no webhook (most laptops) would carry for nothing. */
    private final Supplier<HttpClient> http;
    private final Optional<String> secret;
    private final boolean allowPrivateAddresses;
    private final Clock clock;
    private final Resolver resolver;

    WebhookSender(Supplier<HttpClient> http, Optional<String> secret, boolean allowPrivateAddresses, Clock clock,
                  Resolver resolver) {
        this.http = http;
        this.secret = secret;
        this.allowPrivateAddresses = allowPrivateAddresses;
        this.clock = clock;
        this.resolver = resolver;
    }

    /**
     * @param secret                signs each request; unsigned without one
     * @param allowPrivateAddresses true lets a webhook reach loopback, private and link-local addresses, and http://
     * @param connectTimeout        the longest wait for a connection
     */
    public static WebhookSender create(Optional<String> secret, boolean allowPrivateAddresses, Duration connectTimeout,
                                       Clock clock) {
        Supplier<HttpClient> http = new OnFirstUse<>(() -> HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(connectTimeout).build());
        return new WebhookSender(http, secret, allowPrivateAddresses, clock, InetAddress::getAllByName);
    }

    @Override
    public NotifyChannel.Kind kind() {
        return NotifyChannel.Kind.WEBHOOK;
    }

    @Override
    public void send(NotifyChannel channel, Notification notification, Duration timeout) {
        URI uri = checked(channel);
        byte[] body = WebhookBody.of(notification);
        var request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("content-type", "application/json")
                .header("user-agent", USER_AGENT)
                .header(EVENT_ID_HEADER, notification.eventId())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        secret.ifPresent(key -> {
            String timestamp = Long.toString(clock.instant().getEpochSecond());
            request.header(SkiffSignature.TIMESTAMP_HEADER, timestamp)
                    .header(SkiffSignature.SIGNATURE_HEADER, SkiffSignature.sign(key, timestamp, body));
        });
        int status = answer(request.build(), timeout);
        if (status / 100 == 2) {
            return;
        }
        if (status == 429 || status / 100 == 5) {
            throw NotificationFailure.retryable("answered " + status);
        }
        throw NotificationFailure.permanent("answered " + status + (status / 100 == 3 ? " (a redirect, not followed)" : ""));
    }

    private int answer(HttpRequest request, Duration timeout) {
        try {
            return http.get().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (HttpTimeoutException e) {
            throw NotificationFailure.retryable("no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw NotificationFailure.retryable("the connection failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw NotificationFailure.retryable("interrupted");
        }
    }

    /** The URL, once it is one this orchestrator may send to. */
    private URI checked(NotifyChannel channel) {
        URI uri;
        try {
            uri = URI.create(channel.target());
        } catch (IllegalArgumentException e) {
            throw NotificationFailure.permanent("not a URL the HTTP client can send to");
        }
        if (allowPrivateAddresses) {
            return uri;
        }
        if (!"https".equals(uri.getScheme().toLowerCase(Locale.ROOT))) {
            throw NotificationFailure.permanent("refused: http:// is sent only where private addresses are allowed"
                    + " (skiff.notify.allow-private-addresses=true); use https://");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw NotificationFailure.retryable("the host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            PrivateAddresses.refusal(address).ifPresent(reason -> {
                throw NotificationFailure.permanent("refused: " + host + " resolves to " + address.getHostAddress()
                        + ", " + reason + " (skiff.notify.allow-private-addresses=false)");
            });
        }
        return uri;
    }
}
