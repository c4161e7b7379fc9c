package dev.skiff.orchestrator.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console in a real browser (headless Chromium), as a user on the embedded default uses it: no sign-in, local
 * processes, so the runs it starts really run.
 */
@QuarkusTest
@TestProfile(ConsoleProfile.class)
class ConsoleBrowserTest {

    @TestHTTPResource("/")
    URI base;

    private static ConsoleBrowser browser;

    @BeforeEach
    void openBrowser() {
        if (browser == null) {
            browser = ConsoleBrowser.laptop(base);
        }
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    @Test
    void shouldListTheJobsWhenTheConsoleOpensAtTheRoot() {
        browser.open("/");

        assertThat(browser.path()).isEqualTo("/console/jobs");
        assertThat(browser.heading()).isEqualTo("Jobs");
        assertThat(browser.driver().findElements(By.cssSelector("tbody th a")))
                .extracting(WebElement::getText).containsExactly("greet", "mini-etl", "nightly");
        assertThat(browser.find(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
        browser.screenshot("jobs");
    }

    @Test
    void shouldShowTheSpecWithNotifyUrlsByHostOnlyWhenAJobIsOpened() {
        browser.open("/console/jobs/nightly");

        String spec = browser.find(By.cssSelector("pre.spec")).getText();
        assertThat(spec).contains("\"owner\" : \"data-team\"").contains("hooks.example.com")
                .doesNotContain("secret-token");
        assertThat(browser.find(By.cssSelector("#schedule-0 .fires")).getText()).contains("UTC");
    }

    @Test
    void shouldRunAJobWithItsParametersAndTailItsLogUntilItSucceeds() {
        browser.open("/console/jobs/greet");
        WebElement who = browser.find(By.id("param-WHO"));
        assertThat(browser.find(By.cssSelector("label[for=param-WHO]")).getText()).contains("WHO");
        assertThat(browser.find(By.id("param-PUNCTUATION")).getAttribute("value")).isEqualTo("!");
        browser.screenshot("job");

        who.sendKeys("console <b>user</b>");
        browser.find(By.cssSelector("#run-form button[type=submit]")).click();

        browser.await(10, d -> browser.path().startsWith("/console/runs/greet-m-"));
        browser.await(30, d -> d.findElement(By.id("run-status")).getText().equals("SUCCEEDED"));
        String log = browser.await(10, d -> {
            String text = d.findElement(By.cssSelector("pre.log")).getText();
            return text.contains("done") ? text : null;
        });
        // The parameter reached the process, and the page shows the markup as text, not as markup.
        assertThat(log).contains("hello console <b>user</b>!");
        assertThat(browser.driver().findElements(By.cssSelector("pre.log b"))).isEmpty();
        assertThat(browser.text()).contains("local").contains("WHO").contains("Exit code");
        browser.screenshot("run");
    }

    @Test
    void shouldShowAPipelinesStepGraphWhenItRuns() {
        browser.open("/console/jobs/mini-etl");
        browser.find(By.cssSelector("#run-form button[type=submit]")).click();

        browser.await(60, d -> d.findElement(By.id("run-status")).getText().equals("SUCCEEDED"));
        String each = browser.await(10, d -> d.findElements(By.cssSelector("#run-live tbody tr")).stream()
                .map(WebElement::getText).filter(row -> row.startsWith("each")).findFirst().orElse(null));
        assertThat(each).contains("first").contains("3 items").contains("3 succeeded");
        browser.screenshot("run-pipeline");

        browser.find(By.linkText("3 items")).click();
        browser.await(10, d -> browser.heading().equals("Items of step each"));
        assertThat(browser.driver().findElements(By.cssSelector("tbody tr"))).hasSize(3);
        browser.find(By.cssSelector("tbody tr:nth-child(2) a")).click();
        String log = browser.await(10, d -> {
            String text = d.findElement(By.cssSelector("pre.log")).getText();
            return text.contains("item") ? text : null;
        });
        assertThat(log).contains("item \"b\"");
    }

    @Test
    void shouldPauseAndResumeAScheduleWhenItsButtonsArePressed() {
        browser.open("/console/jobs/nightly");
        assertThat(browser.find(By.cssSelector("#schedule-0 .schedule-state")).getText()).isEqualTo("Active");

        browser.find(By.cssSelector("#schedule-0 button")).click();

        browser.await(10, d -> d.findElement(By.cssSelector("#schedule-0 .schedule-state")).getText().equals("Paused"));
        given().get("/jobs/nightly").then().statusCode(200).body("schedules[0].paused", equalTo(true));
        browser.screenshot("job-paused");

        browser.find(By.cssSelector("#schedule-0 button")).click();
        browser.await(10, d -> d.findElement(By.cssSelector("#schedule-0 .schedule-state")).getText().equals("Active"));
        given().get("/jobs/nightly").then().statusCode(200).body("schedules[0].paused", equalTo(false));
    }

    @Test
    void shouldRefuseAFormWithoutItsCsrfToken() {
        browser.open("/console/jobs/nightly");
        browser.driver().executeScript("document.querySelector('#schedule-0 input[name=csrf]').remove();");

        browser.find(By.cssSelector("#schedule-0 button")).click();

        browser.await(10, d -> browser.heading().startsWith("403"));
        assertThat(browser.text()).contains("CSRF token");
        given().get("/jobs/nightly").then().statusCode(200).body("schedules[0].paused", equalTo(false));
        browser.screenshot("csrf-refused");
    }

    @Test
    void shouldFilterRunsByJobStatusTriggerAndTime() {
        given().contentType("application/json").body("{\"parameters\": {\"WHO\": \"filters\"}}")
                .post("/jobs/greet/runs").then().statusCode(201);

        browser.open("/console/runs?job=greet&status=SUCCEEDED&trigger=api");
        browser.await(30, d -> d.findElements(By.cssSelector("#runs-live tbody tr")).size() > 0);
        assertThat(browser.driver().findElements(By.cssSelector("#runs-live tbody tr")))
                .allSatisfy(row -> assertThat(row.getText()).contains("greet").contains("SUCCEEDED").contains("api"));
        assertThat(browser.find(By.id("f-status")).getAttribute("value")).isEqualTo("SUCCEEDED");
        browser.screenshot("runs");

        browser.open("/console/runs?since=2999-01-01T00:00");
        assertThat(browser.text()).contains("No runs match.");
        browser.open("/console/runs?trigger=cron&job=nightly");
        assertThat(browser.text()).contains("No runs match.");
    }

    @Test
    void shouldAnswerHostileInputWithAClearErrorPage() {
        browser.open("/console/runs?status=BOGUS");
        assertThat(browser.heading()).isEqualTo("400 Bad Request");
        assertThat(browser.text()).contains("status: BOGUS is not a run status");
        browser.screenshot("error-bad-filter");

        browser.open("/console/runs?since=yesterday");
        assertThat(browser.text()).contains("since: yesterday is not a time");
        browser.open("/console/runs/no-such-run-%3Cscript%3E");
        assertThat(browser.heading()).isEqualTo("404 Not Found");
        assertThat(browser.text()).contains("no-such-run-<script>");
        browser.open("/console/jobs/no-such-job");
        assertThat(browser.heading()).isEqualTo("404 Not Found");
        browser.open("/console/no/such/page");
        assertThat(browser.heading()).isEqualTo("404 Not Found");
        assertThat(browser.text()).contains("the console has no page /console/no/such/page");
        given().get("/no/such/api").then().statusCode(404).contentType("application/problem+json");

        String csrf = browser.open("/console/jobs/greet").find(By.cssSelector("input[name=csrf]")).getAttribute("value");
        String cookie = browser.driver().manage().getCookieNamed(ConsoleAccessFilter.COOKIE).getValue();
        given().cookie(ConsoleAccessFilter.COOKIE, cookie).contentType("application/x-www-form-urlencoded")
                .body("csrf=" + csrf + "&param.WHO=" + "x".repeat(70_000))
                .post("/console/jobs/greet/runs").then().statusCode(413);
        given().cookie(ConsoleAccessFilter.COOKIE, cookie).contentType("application/x-www-form-urlencoded")
                .body("csrf=" + csrf + "&param.NOPE=1")
                .post("/console/jobs/greet/runs").then().statusCode(422);
    }

    @Test
    void shouldShowWhatEachJobAndTeamCostOverAPeriod() {
        given().contentType("application/json").body("{\"parameters\": {\"WHO\": \"cost\"}}")
                .post("/jobs/greet/runs").then().statusCode(201);

        browser.open("/console/cost?since=1d");
        assertThat(browser.heading()).isEqualTo("Cost");
        String greet = browser.await(5, d -> d.findElements(By.cssSelector("#cost-jobs tbody tr")).stream()
                .map(WebElement::getText).filter(row -> row.startsWith("greet")).findFirst().orElse(null));
        assertThat(greet).contains("data-team").contains("$0.0000");
        assertThat(Integer.parseInt(browser.find(By.id("cost-runs")).getText())).isPositive();
        assertThat(browser.text()).contains("Spot share").contains("Saved by Spot").contains("By team");
        browser.screenshot("cost");

        browser.open("/console/cost?since=2999-01-01T00:00:00Z");
        assertThat(browser.heading()).isEqualTo("400 Bad Request");
        assertThat(browser.text()).contains("since: 2999-01-01T00:00:00Z is after until");
    }

    @Test
    void shouldFitAPhoneScreen() {
        try (var phone = ConsoleBrowser.phone(base)) {
            phone.open("/console/jobs");
            assertThat(phone.scrollsSideways()).isFalse();
            phone.screenshot("phone-jobs");
            phone.open("/console/jobs/greet");
            assertThat(phone.scrollsSideways()).isFalse();
            phone.screenshot("phone-job");
            phone.open("/console/runs");
            assertThat(phone.scrollsSideways()).isFalse();
            phone.screenshot("phone-runs");
            phone.open("/console/cost");
            assertThat(phone.scrollsSideways()).isFalse();
            phone.screenshot("phone-cost");
        }
    }
}
