package org.medibridge.e2e;

import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo page in a headless Chromium started as a plain process (no chromedriver), so that it can
 * run inside a {@link TestNetNamespace}: chromedriver would have to reach Chromium's DevTools port on
 * the namespace's own loopback. The page reports like Firefox's (see {@link ReportingBrowserPage}).
 *
 * <p>Flags as in {@link ChromiumBrowser}, except {@code --allow-loopback-in-peer-connection} (in a
 * namespace the veth address is the one to use), plus
 * {@code --unsafely-treat-insecure-origin-as-secure} for the page's http origin so that getUserMedia
 * works on a non-loopback address.
 */
public final class HeadlessChromiumPage extends ReportingBrowserPage {

    public static boolean available() {
        return Files.isExecutable(ChromiumBrowser.CHROMIUM);
    }

    public HeadlessChromiumPage(String baseUrl, String room, String name, TestNetNamespace namespace) {
        this(baseUrl, room, name, namespace, "");
    }

    /** @param extraQuery more page parameters, e.g. {@code "simulcast=1"} or {@code "video=0"} */
    public HeadlessChromiumPage(String baseUrl, String room, String name, TestNetNamespace namespace, String extraQuery) {
        super("chromium", baseUrl, room, name, namespace);
        URI base = URI.create(baseUrl);
        String origin = base.getScheme() + "://" + base.getRawAuthority();
        List<String> cmd = new ArrayList<>(List.of(
                ChromiumBrowser.CHROMIUM.toString(),
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
                "--user-data-dir=" + profile(),
                "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
                "--window-size=1280,800",
                "--disable-features=WebRtcHideLocalIpsWithMdns",
                "--unsafely-treat-insecure-origin-as-secure=" + origin));
        cmd.add(extraQuery.isEmpty() ? url() : url() + "&" + extraQuery);
        launch(cmd, Map.of(), namespace);
    }
}
