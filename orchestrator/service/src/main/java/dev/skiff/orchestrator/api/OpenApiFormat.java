package dev.skiff.orchestrator.api;

/**
 * The two forms of the OpenAPI document, and which one a request asks for. The rules are those of Quarkus's own
 * OpenAPI endpoint, which served {@code /q/openapi} before {@link OpenApiRoute}: a {@code .json} path, then a
 * {@code .yaml} or {@code .yml} path, then an {@code Accept} header naming {@code application/json} or
 * {@code ?format=json} (any case) for JSON; YAML otherwise.
 */
enum OpenApiFormat {
    JSON("openapi.json", "application/json"),
    YAML("openapi.yaml", "application/yaml");

    private final String fileName;
    private final String mediaType;

    OpenApiFormat(String fileName, String mediaType) {
        this.fileName = fileName;
        this.mediaType = mediaType;
    }

    /** The document's file among the resources that orchestrator/openapi builds. */
    String resource() {
        return "skiff-openapi/" + fileName;
    }

    String contentType() {
        return mediaType + ";charset=UTF-8";
    }

    /**
     * @param path   the request's normalized path
     * @param accept its Accept header, or null
     * @param format its first {@code format} query parameter, or null
     */
    static OpenApiFormat requested(String path, String accept, String format) {
        if (path.endsWith(".json")) {
            return JSON;
        }
        if (path.endsWith(".yaml") || path.endsWith(".yml")) {
            return YAML;
        }
        boolean acceptsJson = accept != null && accept.contains(JSON.mediaType);
        return acceptsJson || "json".equalsIgnoreCase(format) ? JSON : YAML;
    }
}
