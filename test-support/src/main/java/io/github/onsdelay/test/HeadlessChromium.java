package io.github.onsdelay.test;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium, driven through its chromedriver, for the tests of pages: packages {@code chromium}
 * and {@code chromium-driver} (or {@code CHROMIUM_BIN} and {@code CHROMEDRIVER_BIN}). Under CI ({@code CI=true}) a
 * test that needs it fails without them; elsewhere it is skipped with a notice.
 */
public final class HeadlessChromium {

    private static final Log LOG = LogFactory.getLog(HeadlessChromium.class);

    private HeadlessChromium() {
    }

    /** A new browser with an empty profile, 1440 by 1800 pixels; quit it after the test. */
    public static ChromeDriver start() {
        File chromium = executable("CHROMIUM_BIN", "/usr/bin/chromium", "/usr/bin/chromium-browser");
        File chromedriver = executable("CHROMEDRIVER_BIN", "/usr/bin/chromedriver");
        if (chromium == null || chromedriver == null) {
            String missing = "Chromium or chromedriver is not installed (apt-get install chromium chromium-driver, "
                + "or set CHROMIUM_BIN and CHROMEDRIVER_BIN)";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(missing + ": the page tests must run under CI");
            }
            LOG.warn("NOTICE: skipping a browser test of a page. " + missing);
            Assumptions.abort(missing);
        }
        // Without the background-networking flags Chromium keeps trying hosts this machine cannot reach.
        ChromeOptions options = new ChromeOptions().setBinary(chromium).addArguments("--headless=new", "--no-sandbox",
            "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run",
            "--window-size=1440,1800");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver).build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().implicitlyWait(Duration.ZERO);
        return browser;
    }

    private static File executable(String variable, String... paths) {
        List<String> candidates = new ArrayList<>();
        String fromEnvironment = System.getenv(variable);
        if (fromEnvironment != null) {
            candidates.add(fromEnvironment);
        }
        candidates.addAll(List.of(paths));
        return candidates.stream().map(File::new).filter(File::canExecute).findFirst().orElse(null);
    }

}
