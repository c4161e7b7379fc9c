package dev.skiff.orchestrator.console;

import dev.skiff.orchestrator.domain.ForbiddenException;
import dev.skiff.orchestrator.domain.MalformedRequestException;
import dev.skiff.orchestrator.domain.PayloadTooLargeException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.HttpHeaders;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a console form ({@code application/x-www-form-urlencoded}) and checks its CSRF token against the session's,
 * before any field is used. Every state-changing console request goes through {@link #read}: a form without the
 * token (field {@value #CSRF_FIELD}, or header {@value #CSRF_HEADER} from htmx) is refused with 403.
 */
@RequestScoped
public class ConsoleForms {

    static final String CSRF_FIELD = "csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    /** Far more than a form of parameters needs; the API's own body limit is 256 KiB. */
    static final int MAX_BYTES = 64 * 1024;
    static final int MAX_FIELDS = 200;

    private final ConsoleRequest console;
    private final HttpHeaders headers;

    public ConsoleForms(ConsoleRequest console, HttpHeaders headers) {
        this.console = console;
        this.headers = headers;
    }

    /** The form's fields, in their order, once its CSRF token matched the session's. */
    public Map<String, String> read(String body) {
        String text = body == null ? "" : body;
        if (text.length() > MAX_BYTES) {
            throw new PayloadTooLargeException("the form is " + text.length() + " bytes long; the console accepts"
                    + " forms of up to " + MAX_BYTES + " bytes");
        }
        Map<String, String> fields = parse(text);
        String token = fields.getOrDefault(CSRF_FIELD, headers.getHeaderString(CSRF_HEADER));
        var session = console.session().orElseThrow(() -> new ForbiddenException(
                "this form needs a console session; reload the page and send it again"));
        if (!ConsoleSessions.csrfMatches(session, token)) {
            throw new ForbiddenException("the form's CSRF token is missing or is not this session's; reload the page"
                    + " and send it again");
        }
        fields.remove(CSRF_FIELD);
        return fields;
    }

    private static Map<String, String> parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (text.isBlank()) {
            return fields;
        }
        String[] pairs = text.split("&");
        if (pairs.length > MAX_FIELDS) {
            throw new MalformedRequestException("the form has " + pairs.length + " fields; the limit is " + MAX_FIELDS);
        }
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            fields.putIfAbsent(name, value);
        }
        return fields;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MalformedRequestException("the form is not valid application/x-www-form-urlencoded: "
                    + e.getMessage());
        }
    }
}
