package dev.skiff.orchestrator.console;

import dev.skiff.testing.HeadlessChromium;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A headless Chromium window on the service under test, with the waits and screenshots the console tests use. */
final class ConsoleBrowser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final int LAPTOP_WIDTH = 1280;
    static final int PHONE_WIDTH = 390;

    private final ChromeDriver driver;
    private final URI base;

    private ConsoleBrowser(ChromeDriver driver, URI base) {
        this.driver = driver;
        this.base = base;
    }

    static ConsoleBrowser laptop(URI base) {
        return new ConsoleBrowser(HeadlessChromium.open(LAPTOP_WIDTH, 1600), base);
    }

    /** A phone's viewport: Chromium's window is at least 500 pixels wide, so the width is emulated. */
    static ConsoleBrowser phone(URI base) {
        ChromeDriver driver = HeadlessChromium.open(600, 1400);
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", java.util.Map.of(
                "width", PHONE_WIDTH, "height", 1200, "deviceScaleFactor", 1, "mobile", true));
        return new ConsoleBrowser(driver, base);
    }

    ChromeDriver driver() {
        return driver;
    }

    ConsoleBrowser open(String path) {
        driver.get(base.resolve(path).toString());
        return this;
    }

    String path() {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    WebElement find(By by) {
        return driver.findElement(by);
    }

    String heading() {
        return driver.findElement(By.tagName("h1")).getText();
    }

    String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** Waits (up to {@code seconds}) until {@code condition} gives a value that is neither null nor false. */
    <T> T await(int seconds, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds)).pollingEvery(Duration.ofMillis(200))
                // a live fragment may replace the element between finding and reading it
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** Saves what the window shows as target/screenshots/{@code name}.png. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the page is wider than the window (a layout that makes the reader scroll sideways). */
    boolean scrollsSideways() {
        Object wider = driver.executeScript(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth + 1;");
        return Boolean.TRUE.equals(wider);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
