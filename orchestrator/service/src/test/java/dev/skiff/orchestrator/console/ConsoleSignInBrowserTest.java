package dev.skiff.orchestrator.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;

/**
 * The console with API keys, in a real browser: a team signs in with its key, sees its own jobs and runs only, is
 * refused another team's, and signs out; the session cookie opens the console only, never the JSON API.
 */
@QuarkusTest
@TestProfile(ConsoleTeamsProfile.class)
class ConsoleSignInBrowserTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    @TestHTTPResource("/")
    URI base;

    private ConsoleBrowser browser;

    @BeforeEach
    void openBrowser() {
        browser = ConsoleBrowser.laptop(base);
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
    }

    private void signIn(String key) {
        browser.open("/console/jobs");
        browser.find(By.id("key")).sendKeys(key);
        browser.find(By.cssSelector("form button[type=submit]")).click();
        browser.await(10, d -> !browser.path().equals("/console/sign-in") || !d.findElements(By.id("sign-in-error")).isEmpty());
    }

    private String session() {
        return browser.driver().manage().getCookieNamed(ConsoleAccessFilter.COOKIE).getValue();
    }

    @Test
    void shouldAskForAKeyAndShowOnlyTheTeamsOwnJobsOnceSignedIn() {
        browser.open("/console/jobs");
        assertThat(browser.path()).isEqualTo("/console/sign-in");
        assertThat(browser.find(By.cssSelector("label[for=key]")).getText()).isEqualTo("API key");
        assertThat(browser.find(By.id("key")).getAttribute("type")).isEqualTo("password");
        browser.screenshot("sign-in");

        signIn(ConsoleTeamsProfile.ANALYTICS_KEY);

        assertThat(browser.path()).isEqualTo("/console/jobs");
        assertThat(browser.driver().getCurrentUrl()).doesNotContain(ConsoleTeamsProfile.ANALYTICS_KEY);
        assertThat(browser.driver().findElements(By.cssSelector("tbody th a")))
                .extracting(WebElement::getText).containsExactly("analytics-etl");
        assertThat(browser.text()).contains("Team analytics").doesNotContain("invoices");
        browser.screenshot("jobs-signed-in");
    }

    @Test
    void shouldRefuseAnotherTeamsJobAndRunsWithAClearPage() {
        signIn(ConsoleTeamsProfile.ANALYTICS_KEY);

        browser.open("/console/jobs/invoices");
        assertThat(browser.heading()).isEqualTo("403 Forbidden");
        assertThat(browser.text()).contains("team analytics may not see job invoices")
                .contains("it belongs to team billing");
        browser.screenshot("job-of-another-team");

        browser.open("/console/runs?job=invoices");
        assertThat(browser.heading()).isEqualTo("403 Forbidden");

        // A billing run: its page and its log are refused to analytics too.
        String run = given().auth().oauth2(ConsoleTeamsProfile.BILLING_KEY).contentType("application/json")
                .post("/jobs/invoices/runs").then().statusCode(201).extract().path("runId");
        browser.open("/console/runs/" + run);
        assertThat(browser.heading()).isEqualTo("403 Forbidden");
        browser.open("/console/runs/" + run + "/log");
        assertThat(browser.text()).contains("may not see job invoices");
        browser.open("/console/runs");
        assertThat(browser.text()).doesNotContain(run);
        browser.open("/console/cost?owner=billing");
        assertThat(browser.heading()).isEqualTo("403 Forbidden");
        browser.open("/console/cost");
        assertThat(browser.text()).contains("team analytics").doesNotContain("invoices");
    }

    @Test
    void shouldRefuseAWrongKeyWithoutRepeatingIt() {
        signIn("not-a-key-of-anyone");

        assertThat(browser.text()).contains("That is not a known API key.").doesNotContain("not-a-key-of-anyone");
        assertThat(browser.driver().manage().getCookieNamed(ConsoleAccessFilter.COOKIE)).isNull();
        browser.screenshot("sign-in-refused");
    }

    @Test
    void shouldKeepTheSessionInAStrictHttpOnlyBrowserSessionCookie() {
        signIn(ConsoleTeamsProfile.BILLING_KEY);

        Cookie cookie = browser.driver().manage().getCookieNamed(ConsoleAccessFilter.COOKIE);
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(cookie.getPath()).isEqualTo("/");
        assertThat(cookie.getExpiry()).as("a browser-session cookie has no expiry").isNull();
        assertThat(cookie.getValue()).doesNotContain(ConsoleTeamsProfile.BILLING_KEY);
    }

    @Test
    void shouldNotLetTheSessionCookieAuthenticateTheJsonApi() {
        signIn(ConsoleTeamsProfile.ANALYTICS_KEY);
        String session = session();

        given().cookie(ConsoleAccessFilter.COOKIE, session).get("/jobs").then().statusCode(401);
        given().cookie(ConsoleAccessFilter.COOKIE, session).contentType("application/json")
                .post("/jobs/analytics-etl/runs").then().statusCode(401);
        // Bearer-token clients work as before.
        given().auth().oauth2(ConsoleTeamsProfile.ANALYTICS_KEY).get("/jobs").then().statusCode(200)
                .body("jobs.name", hasItems("analytics-etl", "invoices"));
    }

    @Test
    void shouldNotLetAConsolePathThatLeadsOutOfTheConsoleSkipTheBearerToken() throws Exception {
        signIn(ConsoleTeamsProfile.ANALYTICS_KEY);
        String session = session();
        var http = java.net.http.HttpClient.newHttpClient();

        for (String path : java.util.List.of("/console/../jobs/analytics-etl/runs",
                "/console/%2e%2e/jobs/analytics-etl/runs", "/console/..%2Fjobs/analytics-etl/runs")) {
            var request = java.net.http.HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path))
                    .header("Cookie", ConsoleAccessFilter.COOKIE + "=" + session).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build();
            int status = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
            assertThat(status).as(path).isIn(400, 401, 404, 405);
        }
        given().auth().oauth2(ConsoleTeamsProfile.ANALYTICS_KEY).get("/runs?job=analytics-etl").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void shouldRefuseAStateChangingPostWithoutTheCsrfToken() {
        signIn(ConsoleTeamsProfile.ANALYTICS_KEY);
        String session = session();
        String csrf = browser.open("/console/jobs/analytics-etl").find(By.cssSelector("input[name=csrf]"))
                .getAttribute("value");

        given().cookie(ConsoleAccessFilter.COOKIE, session).contentType(FORM).body("")
                .post("/console/jobs/analytics-etl/schedules/0/pause").then().statusCode(403);
        given().cookie(ConsoleAccessFilter.COOKIE, session).contentType(FORM).body("csrf=guessed")
                .post("/console/jobs/analytics-etl/schedules/0/pause").then().statusCode(403);
        given().cookie(ConsoleAccessFilter.COOKIE, session).contentType(FORM).body("csrf=" + csrf)
                .header("Origin", "https://attacker.example")
                .post("/console/jobs/analytics-etl/schedules/0/pause").then().statusCode(403);
        given().auth().oauth2(ConsoleTeamsProfile.ANALYTICS_KEY).get("/jobs/analytics-etl").then()
                .body("schedules[0].paused", org.hamcrest.Matchers.equalTo(false));

        given().redirects().follow(false).cookie(ConsoleAccessFilter.COOKIE, session).contentType(FORM)
                .body("csrf=" + csrf).post("/console/jobs/analytics-etl/schedules/0/pause").then().statusCode(303);
        given().redirects().follow(false).cookie(ConsoleAccessFilter.COOKIE, session).contentType(FORM)
                .body("csrf=" + csrf).post("/console/jobs/invoices/schedules/0/pause").then().statusCode(403);
        given().redirects().follow(false).cookie(ConsoleAccessFilter.COOKIE, session).contentType(FORM)
                .body("csrf=" + csrf).post("/console/jobs/analytics-etl/schedules/0/resume").then().statusCode(303);
    }

    @Test
    void shouldEndTheSessionOnSignOut() {
        signIn(ConsoleTeamsProfile.ANALYTICS_KEY);
        String session = session();

        browser.find(By.xpath("//button[text()='Sign out']")).click();

        browser.await(10, d -> browser.path().equals("/console/sign-in"));
        given().redirects().follow(false).cookie(ConsoleAccessFilter.COOKIE, session).get("/console/jobs")
                .then().statusCode(303).header("Location", org.hamcrest.Matchers.endsWith("/console/sign-in"));
    }
}
