package org.medibridge.signaling.negotiation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Chromium driven by Selenium with the Debian chromedriver (nothing is downloaded). */
final class SeleniumChromium implements BrowserPage {
    private static final String CALL = "const done = arguments[arguments.length - 1];"
            + "Promise.resolve().then(() => mb[arguments[0]](...arguments[1]))"
            + ".then(v => done({ok: true, value: String(v)}),"
            + " e => done({ok: false, value: String((e && e.name ? e.name + ': ' : '') + (e && e.message || e))}));";

    private final HarnessServer server;
    private final ChromeDriver driver;
    private final Path profile;

    SeleniumChromium() throws IOException {
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, Browsers.CHROMEDRIVER);
        server = new HarnessServer();
        Path profile = Files.createTempDirectory("mb-selenium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(Browsers.CHROMIUM);
        options.addArguments(Browsers.CHROMIUM_FLAGS);
        options.addArguments("--user-data-dir=" + profile);
        ChromeDriver d;
        try {
            d = new ChromeDriver(new ChromeDriverService.Builder()
                    .usingDriverExecutable(new java.io.File(Browsers.CHROMEDRIVER)).build(), options);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        driver = d;
        this.profile = profile;
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        driver.get(server.url("harness.html"));
    }

    @Override
    public Result call(String function, String... args) {
        Object r = ((JavascriptExecutor) driver).executeAsyncScript(CALL, function, java.util.List.of(args));
        Map<?, ?> m = (Map<?, ?>) r;
        return new Result(Boolean.TRUE.equals(m.get("ok")), String.valueOf(m.get("value")));
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            server.close();
            try (java.util.stream.Stream<Path> files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temp profile is harmless
            }
        }
    }
}
