package dev.skiff.trigger;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** API Gateway HTTP API responses: JSON bodies, and errors as application/problem+json (RFC 9457). */
final class HttpResponses {

    static final String PROBLEM_JSON = "application/problem+json";

    private static final Map<Integer, String> TITLES = Map.of(
            400, "Bad Request", 401, "Unauthorized", 404, "Not Found", 405, "Method Not Allowed",
            413, "Content Too Large", 422, "Unprocessable Content", 500, "Internal Server Error",
            503, "Service Unavailable");

    private HttpResponses() {
    }

    static APIGatewayV2HTTPResponse json(int status, Object body) {
        return response(status, "application/json", Json.write(body));
    }

    static APIGatewayV2HTTPResponse problem(int status, String detail, List<String> problems) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", TITLES.getOrDefault(status, "Error"));
        body.put("status", status);
        body.put("detail", detail);
        if (!problems.isEmpty()) {
            body.put("problems", problems);
        }
        return response(status, PROBLEM_JSON, Json.write(body));
    }

    private static APIGatewayV2HTTPResponse response(int status, String contentType, String body) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(Map.of("Content-Type", contentType))
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
    }
}
