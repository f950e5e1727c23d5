package org.medibridge.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One headless Chromium (Debian binary + matching chromedriver, nothing is downloaded) that hosts
 * several participant pages, each in its own window so every page stays "visible" and is not
 * throttled. Each page does its own getUserMedia on the fake devices, so their media is independent.
 *
 * <p>All WebDriver calls go through {@link #driver()} under this object's lock; a page switches to
 * its window before every command.
 */
public final class ChromiumBrowser implements AutoCloseable {

    public static final Path CHROMIUM = Paths.get(System.getProperty("medibridge.e2e.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER =
            Paths.get(System.getProperty("medibridge.e2e.chromedriver", "/usr/bin/chromedriver"));

    private final Path userDataDir;
    private final ChromeDriver driver;
    private final List<BrowserPage> pages = new ArrayList<>();
    private final String blankWindow;

    public static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    public ChromiumBrowser() {
        this(java.util.List.of());
    }

    /** With more command-line flags, e.g. {@code --unsafely-treat-insecure-origin-as-secure=http://ADDR:PORT}. */
    public ChromiumBrowser(java.util.List<String> extraArguments) {
        try {
            userDataDir = Files.createTempDirectory("medibridge-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--use-fake-device-for-media-stream=fps=30",
                "--use-fake-ui-for-media-stream",
                "--autoplay-policy=no-user-gesture-required",
                "--user-data-dir=" + userDataDir,
                // several pages per browser: none of them may be throttled as a background tab
                "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
                "--window-size=1280,800",
                // loopback only here: gather literal 127.0.0.1 host candidates so ICE never depends
                // on other interfaces (the server drops mDNS '.local' candidates anyway)
                "--allow-loopback-in-peer-connection",
                "--disable-features=WebRtcHideLocalIpsWithMdns");
        options.addArguments(extraArguments);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(new File(userDataDir.toFile(), "chromedriver.log"))
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        // The first window stays blank, so closing any page's window never closes the browser.
        blankWindow = driver.getWindowHandle();
    }

    /** Opens {@code baseUrl/?room=..&name=..} in a new window and returns the page (not yet joined). */
    public synchronized BrowserPage open(String baseUrl, String room, String name) {
        return open(baseUrl, room, name, "");
    }

    /**
     * Like {@link #open(String, String, String)} with more query parameters for the demo page,
     * e.g. {@code "simulcast=1"} (appended as given, without a leading '&amp;').
     */
    public synchronized BrowserPage open(String baseUrl, String room, String name, String extraQuery) {
        String url = baseUrl + "/?room=" + enc(room) + "&name=" + enc(name)
                + (extraQuery == null || extraQuery.isEmpty() ? "" : "&" + extraQuery);
        driver.switchTo().newWindow(WindowType.WINDOW);
        String handle = driver.getWindowHandle();
        driver.get(url);
        BrowserPage page = new BrowserPage(this, handle, room, name);
        pages.add(page);
        return page;
    }

    /**
     * Opens any URL of the demo app (e.g. an appointment's {@code joinUrl}, {@code /?token=...}) in a
     * new window; {@code label} names the page in messages (its room is unknown until it joined).
     */
    public synchronized BrowserPage openUrl(String url, String label) {
        driver.switchTo().newWindow(WindowType.WINDOW);
        String handle = driver.getWindowHandle();
        driver.get(url);
        BrowserPage page = new BrowserPage(this, handle, "(link)", label);
        pages.add(page);
        return page;
    }

    /** Opens a page and waits until it joined its room. */
    public BrowserPage join(String baseUrl, String room, String name) {
        BrowserPage page = open(baseUrl, room, name);
        page.waitJoined(Duration.ofSeconds(15));
        return page;
    }

    /** Opens a page with extra query parameters (see {@link #open(String, String, String, String)}) and waits until it joined. */
    public BrowserPage join(String baseUrl, String room, String name, String extraQuery) {
        BrowserPage page = open(baseUrl, room, name, extraQuery);
        page.waitJoined(Duration.ofSeconds(15));
        return page;
    }

    synchronized ChromeDriver driverFor(String windowHandle) {
        if (!windowHandle.equals(driver.getWindowHandle())) {
            driver.switchTo().window(windowHandle);
        }
        return driver;
    }

    /** Closes one page's window (the page's WebRTC sessions end abruptly, like a closed tab). */
    synchronized void closeWindow(BrowserPage page) {
        driverFor(page.windowHandle()).close();
        pages.remove(page);
        driver.switchTo().window(blankWindow);
    }

    public List<BrowserPage> pages() {
        return List.copyOf(pages);
    }

    @Override
    public synchronized void close() {
        try {
            driver.quit();
        } finally {
            deleteRecursively(userDataDir);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory
        }
    }
}
