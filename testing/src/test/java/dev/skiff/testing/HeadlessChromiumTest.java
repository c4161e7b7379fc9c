package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeadlessChromiumTest {

    @Test
    void shouldRenderAPageWhenChromiumIsInstalledOrInstallable() {
        var browser = HeadlessChromium.open(800, 600);
        try {
            browser.get("data:text/html,<title>hello</title><h1 id=h>Skiff</h1>");
            assertThat(browser.getTitle()).isEqualTo("hello");
            assertThat(browser.findElement(org.openqa.selenium.By.id("h")).getText()).isEqualTo("Skiff");
        } finally {
            browser.quit();
        }
    }
}
