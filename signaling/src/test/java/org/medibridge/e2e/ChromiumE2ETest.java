package org.medibridge.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * Base of the end-to-end tests that drive one headless Chromium (several windows) per test class.
 * Subclasses register their own server extension.
 */
@Tag("e2e")
abstract class ChromiumE2ETest {
    /** The browser of the running test class (classes run one after another). */
    static ChromiumBrowser browser;

    @BeforeAll
    static void startBrowser() {
        BrowserRequirement.require(ChromiumBrowser.available(), "needs /usr/bin/chromium and /usr/bin/chromedriver");
        browser = new ChromiumBrowser();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }
}
