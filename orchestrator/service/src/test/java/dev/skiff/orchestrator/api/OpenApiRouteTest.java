package dev.skiff.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * /q/openapi, served from the document that orchestrator/openapi builds: the same forms, paths and content types as
 * Quarkus's OpenAPI extension served, and a document that lists every endpoint of the service.
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class OpenApiRouteTest {

    private static final String JSON = "application/json;charset=UTF-8";
    private static final String YAML = "application/yaml;charset=UTF-8";

    private static JsonNode json(String body) throws Exception {
        return new ObjectMapper().readTree(body);
    }

    private static String resource(String name) throws Exception {
        try (var in = OpenApiRouteTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldDescribeEveryJaxRsEndpointOfTheServiceAndNoOther() throws Exception {
        // Given
        Set<String> endpoints = JaxRsEndpoints.all();
        // When
        JsonNode document = json(given().get("/q/openapi.json").then().statusCode(200).extract().asString());
        // Then
        Set<String> described = new TreeSet<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(
                verb -> described.add(verb.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        assertThat(endpoints).contains("GET /jobs", "POST /jobs/{name}/runs", "GET /console/runs/{runId}");
        assertThat(described).isEqualTo(endpoints);
    }

    @Test
    void shouldNameTheServiceAndItsVersion() throws Exception {
        // Given
        String version = ConfigProvider.getConfig().getValue("quarkus.application.version", String.class);
        // When
        JsonNode info = json(given().get("/q/openapi.json").then().statusCode(200).extract().asString()).get("info");
        // Then
        assertThat(info.get("title").asText()).isEqualTo("Skiff");
        assertThat(info.get("version").asText()).isEqualTo(version);
    }

    @Test
    void shouldServeTheYamlDocumentByDefaultAndTheJsonOneWhenAskedFor() throws Exception {
        // Given
        String yamlFile = resource("skiff-openapi/openapi.yaml");
        String jsonFile = resource("skiff-openapi/openapi.json");
        // When
        String yaml = given().get("/q/openapi").then().statusCode(200).contentType(YAML).extract().asString();
        String json = given().get("/q/openapi.json").then().statusCode(200).contentType(JSON).extract().asString();
        // Then
        assertThat(yaml).startsWith("---\nopenapi: 3.").isEqualTo(yamlFile);
        assertThat(json).isEqualTo(jsonFile);
        assertThat(json(json).has("servers")).as("no server named by the build").isFalse();
    }

    @Test
    void shouldChooseTheFormBySuffixThenAcceptThenFormatParameter() {
        // Given / When / Then
        given().get("/q/openapi.yaml").then().statusCode(200).contentType(YAML);
        given().get("/q/openapi.yml").then().statusCode(200).contentType(YAML);
        given().accept("application/json").get("/q/openapi").then().statusCode(200).contentType(JSON);
        given().get("/q/openapi?format=json").then().statusCode(200).contentType(JSON);
        given().get("/q/openapi?format=JSON").then().statusCode(200).contentType(JSON);
        given().get("/q/openapi?format=yaml").then().statusCode(200).contentType(YAML);
        given().get("/q/openapi.json?format=yaml").then().statusCode(200).contentType(JSON);
        given().accept("application/json").get("/q/openapi.yaml").then().statusCode(200).contentType(YAML);
    }

    @Test
    void shouldAnswerOptionsWithTheMethodsItServes() {
        // Given / When / Then
        given().options("/q/openapi").then().statusCode(200).header("Allow", equalTo("GET, HEAD, OPTIONS"))
                .body(emptyString());
        given().head("/q/openapi.json").then().statusCode(200).contentType(JSON);
    }
}
