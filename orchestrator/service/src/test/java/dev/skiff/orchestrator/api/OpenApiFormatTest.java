package dev.skiff.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which form of the OpenAPI document a request gets: the rules Quarkus's OpenAPI endpoint followed. */
class OpenApiFormatTest {

    @Test
    void shouldServeYamlWhenNothingAsksForJson() {
        // Given / When / Then
        assertThat(OpenApiFormat.requested("/q/openapi", null, null)).isEqualTo(OpenApiFormat.YAML);
        assertThat(OpenApiFormat.requested("/q/openapi", "*/*", "yaml")).isEqualTo(OpenApiFormat.YAML);
        assertThat(OpenApiFormat.requested("/q/openapi", "application/yaml", "xml")).isEqualTo(OpenApiFormat.YAML);
    }

    @Test
    void shouldServeJsonWhenTheAcceptHeaderOrTheFormatParameterAsksForIt() {
        // Given / When / Then
        assertThat(OpenApiFormat.requested("/q/openapi", "text/html, application/json;q=0.9", null))
                .isEqualTo(OpenApiFormat.JSON);
        assertThat(OpenApiFormat.requested("/q/openapi", null, "json")).isEqualTo(OpenApiFormat.JSON);
        assertThat(OpenApiFormat.requested("/q/openapi", "application/yaml", "JSON")).isEqualTo(OpenApiFormat.JSON);
    }

    @Test
    void shouldLetTheSuffixWinOverTheHeaderAndTheParameter() {
        // Given / When / Then
        assertThat(OpenApiFormat.requested("/q/openapi.json", "application/yaml", "yaml"))
                .isEqualTo(OpenApiFormat.JSON);
        assertThat(OpenApiFormat.requested("/q/openapi.yaml", "application/json", "json"))
                .isEqualTo(OpenApiFormat.YAML);
        assertThat(OpenApiFormat.requested("/q/openapi.yml", "application/json", "json"))
                .isEqualTo(OpenApiFormat.YAML);
    }

    @Test
    void shouldNameTheDocumentsFileAndItsContentType() {
        // Given / When / Then
        assertThat(OpenApiFormat.JSON.resource()).isEqualTo("skiff-openapi/openapi.json");
        assertThat(OpenApiFormat.YAML.contentType()).isEqualTo("application/yaml;charset=UTF-8");
    }
}
