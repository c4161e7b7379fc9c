package dev.skiff.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium and its chromedriver, for the browser tests. Like {@link MotoServer} it sets up what
 * it needs: when {@code chromium} or {@code chromedriver} is missing and the tests run as root, it installs the
 * Debian packages; otherwise the test fails with the command to run. It never skips. Selenium is pointed at the
 * driver binary itself, so Selenium Manager never tries to download a browser or a driver from the internet.
 */
public final class HeadlessChromium {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String INSTALL = "apt-get update && apt-get install -y chromium chromium-driver";
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(15);

    private HeadlessChromium() {
    }

    /** A new headless browser window of {@code width} x {@code height} CSS pixels; the caller quits it. */
    public static ChromeDriver open(int width, int height) {
        ensureInstalled();
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + width + "," + height, "--lang=en-US");
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** Installs Chromium and chromedriver when missing (as root), or fails with the command to run. */
    public static synchronized void ensureInstalled() {
        if (installed()) {
            return;
        }
        if (!isRoot()) {
            throw new IllegalStateException("the browser tests need Debian's headless Chromium and chromedriver ("
                    + CHROMIUM + ", " + CHROMEDRIVER + "); install them as root with:\n  " + INSTALL);
        }
        install();
        if (!installed()) {
            throw new IllegalStateException("'" + INSTALL + "' succeeded but " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is still missing");
        }
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    private static boolean isRoot() {
        try {
            Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return id.waitFor() == 0 && uid.equals("0");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void install() {
        try {
            Path output = Files.createTempFile("chromium-install-", ".log");
            var builder = new ProcessBuilder(List.of("sh", "-c", INSTALL)).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(Map.of("DEBIAN_FRONTEND", "noninteractive"));
            Process p = builder.start();
            if (!p.waitFor(INSTALL_TIMEOUT.toMinutes(), TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("could not install the browser (" + INSTALL + "):\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not install the browser (" + INSTALL + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing the browser", e);
        }
    }
}
