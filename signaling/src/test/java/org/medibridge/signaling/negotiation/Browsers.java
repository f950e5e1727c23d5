package org.medibridge.signaling.negotiation;

import java.util.List;

/** Where the Debian browsers live and how to start them headless with fake media on loopback. */
final class Browsers {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final String FIREFOX = "/usr/bin/firefox-esr";

    /**
     * Headless flags that keep Chromium off the network, plus loopback ICE gathering with literal
     * addresses so that offers carry real host candidates.
     */
    static final List<String> CHROMIUM_FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            "--autoplay-policy=no-user-gesture-required", "--allow-loopback-in-peer-connection",
            "--disable-features=WebRtcHideLocalIpsWithMdns");

    /** user.js for a Firefox profile: fake media, no prompts, literal host candidates, no phoning home. */
    static final String FIREFOX_USER_JS = String.join("\n",
            "user_pref(\"media.navigator.streams.fake\", true);",
            "user_pref(\"media.navigator.permission.disabled\", true);",
            "user_pref(\"media.autoplay.default\", 0);",
            "user_pref(\"media.autoplay.blocking_policy\", 0);",
            "user_pref(\"media.peerconnection.ice.obfuscate_host_addresses\", false);",
            "user_pref(\"media.peerconnection.ice.loopback\", true);",
            "user_pref(\"app.update.enabled\", false);",
            "user_pref(\"app.update.auto\", false);",
            "user_pref(\"browser.shell.checkDefaultBrowser\", false);",
            "user_pref(\"browser.startup.homepage_override.mstone\", \"ignore\");",
            "user_pref(\"datareporting.policy.dataSubmissionEnabled\", false);",
            "user_pref(\"datareporting.healthreport.uploadEnabled\", false);",
            "user_pref(\"toolkit.telemetry.enabled\", false);",
            "user_pref(\"network.captive-portal-service.enabled\", false);",
            "user_pref(\"network.connectivity-service.enabled\", false);",
            "user_pref(\"browser.safebrowsing.malware.enabled\", false);",
            "user_pref(\"browser.safebrowsing.phishing.enabled\", false);",
            "user_pref(\"browser.safebrowsing.downloads.enabled\", false);",
            "user_pref(\"extensions.update.enabled\", false);",
            "user_pref(\"browser.newtabpage.enabled\", false);",
            "user_pref(\"network.dns.disablePrefetch\", true);",
            "user_pref(\"network.prefetch-next\", false);",
            "");

    private Browsers() {
    }
}
