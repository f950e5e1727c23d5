package org.medibridge.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * One participant's demo page in a {@link ChromiumBrowser} window. Everything is read from the page
 * (its {@code window.mediBridge} client and {@code window.mediBridgeApp} hooks); timings are the
 * page's own {@code performance.now()} milliseconds, or epoch milliseconds
 * ({@code performance.timeOrigin + now}) where pages are compared with each other.
 */
public final class BrowserPage {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Resolves with a JSON string: subscriber inbound-rtp stats mapped to participants, plus track states. */
    private static final String STATS_SCRIPT = """
            const done = arguments[arguments.length - 1];
            (async () => {
              const c = window.mediBridge;
              const res = { at: performance.now(), epochMs: performance.timeOrigin + performance.now(),
                            inbound: [], outbound: [] };
              if (!c) return JSON.stringify(res);
              const tracks = [...c.remoteTracks.values()];
              const byMid = (mid) => (mid == null ? null : c.remoteTracks.get(String(mid)) || null);
              if (c.subscriberPc) {
                const stats = await c.subscriberPc.getStats();
                stats.forEach((s) => {
                  if (s.type !== 'inbound-rtp') return;
                  const r = byMid(s.mid) || tracks.find((t) => t.track && t.track.id === s.trackIdentifier) || null;
                  res.inbound.push({
                    kind: s.kind, mid: r ? r.mid : (s.mid ?? null),
                    participantId: r ? r.participantId : null, trackId: r ? r.trackId : null,
                    bytesReceived: s.bytesReceived || 0, packetsReceived: s.packetsReceived || 0,
                    framesDecoded: s.framesDecoded || 0, frameWidth: s.frameWidth || 0, frameHeight: s.frameHeight || 0,
                    totalAudioEnergy: s.totalAudioEnergy || 0,
                    trackReadyState: r && r.track ? r.track.readyState : null });
                });
              }
              if (c.publisherPc) {
                const stats = await c.publisherPc.getStats();
                stats.forEach((s) => {
                  if (s.type !== 'outbound-rtp') return;
                  res.outbound.push({ kind: s.kind, bytesSent: s.bytesSent || 0, framesEncoded: s.framesEncoded || 0,
                                      frameWidth: s.frameWidth || 0, frameHeight: s.frameHeight || 0 });
                });
              }
              return JSON.stringify(res);
            })().then(done, (e) => done(JSON.stringify({ error: String(e) })));
            """;

    private final ChromiumBrowser browser;
    private final String windowHandle;
    private final String room;
    private final String name;
    private String participantId;

    BrowserPage(ChromiumBrowser browser, String windowHandle, String room, String name) {
        this.browser = browser;
        this.windowHandle = windowHandle;
        this.room = room;
        this.name = name;
    }

    public String room() {
        return room;
    }

    public String name() {
        return name;
    }

    String windowHandle() {
        return windowHandle;
    }

    // ------------------------------------------------------------ raw access

    /** Runs a script in this page's window (returns what Selenium returns). */
    public Object js(String script, Object... args) {
        synchronized (browser) {
            return ((JavascriptExecutor) driver()).executeScript(script, args);
        }
    }

    /** Runs a script whose value is a JSON string and parses it. */
    public JsonNode jsJson(String expression) {
        Object v = js("return JSON.stringify(" + expression + ");");
        return parse((String) v);
    }

    private ChromeDriver driver() {
        return browser.driverFor(windowHandle);
    }

    private static JsonNode parse(String s) {
        try {
            return s == null ? JSON.nullNode() : JSON.readTree(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("page returned bad JSON: " + s, e);
        }
    }

    // ------------------------------------------------------------ lifecycle

    /** Waits for {@code <body data-state="joined">}; fails fast with the page's error if it closed. */
    public BrowserPage waitJoined(Duration timeout) {
        String state = Poll.until(name + " joined room " + room, timeout, this::state,
                s -> "joined".equals(s) || "closed".equals(s));
        if (!"joined".equals(state)) {
            throw new AssertionError(name + " could not join: " + errorText().orElse("(no error shown)")
                    + "; events: " + events());
        }
        participantId = (String) js("return window.mediBridge.participantId;");
        return this;
    }

    /** Client lifecycle state: idle, connecting, joined or closed. */
    public String state() {
        return (String) js("return document.body.dataset.state || null;");
    }

    public String participantId() {
        if (participantId == null) {
            participantId = (String) js("return window.mediBridge ? window.mediBridge.participantId : null;");
        }
        return participantId;
    }

    /** The page's error line, if one is shown. */
    public Optional<String> errorText() {
        Object v = js("const e = document.getElementById('error');"
                + "return e && !e.hidden ? document.getElementById('error-text').textContent : null;");
        return Optional.ofNullable((String) v);
    }

    public void clickLeave() {
        click("btn-leave");
    }

    public void clickMute() {
        click("btn-mute");
    }

    public void clickCamera() {
        click("btn-camera");
    }

    /** Clicks the element with this id (a real WebDriver click: it must be visible and enabled). */
    public void click(String id) {
        synchronized (browser) {
            WebElement b = driver().findElement(By.id(id));
            b.click();
        }
    }

    /** Closes the window (an abrupt disconnect rather than a leave). */
    public void closeWindow() {
        browser.closeWindow(this);
    }

    // ------------------------------------------------------------ state

    /** {@code window.mediBridgeApp.snapshot()}: client state, tiles, status, error. */
    public JsonNode snapshot() {
        return jsJson("window.mediBridgeApp.snapshot()");
    }

    /** Events the page saw, in order (client events plus tile-added/removed, ui-error, ...). */
    public List<PageEvent> events() {
        JsonNode arr = jsJson("window.mediBridgeApp.events");
        List<PageEvent> out = new ArrayList<>();
        for (JsonNode e : arr) {
            out.add(new PageEvent(e.path("type").asText(), e.path("at").asDouble(), e.path("detail")));
        }
        return out;
    }

    /**
     * The page's connection story for failure messages: connection-state, ice-connection-state and
     * error events with their page times (ms).
     */
    public String connectionLog() {
        StringBuilder sb = new StringBuilder(name).append("'s connection events:");
        for (PageEvent e : events()) {
            if (e.type().equals("connection-state") || e.type().equals("ice-connection-state")
                    || e.type().equals("reconnecting") || e.type().equals("reconnected")
                    || e.type().equals("error") || e.type().equals("ui-error")) {
                sb.append(String.format(" [%.0f %s %s]", e.at(), e.type(), e.detail()));
            }
        }
        return sb.toString();
    }

    public Optional<PageEvent> event(String type, Predicate<JsonNode> detail) {
        return events().stream().filter(e -> e.type().equals(type) && detail.test(e.detail())).findFirst();
    }

    /** Participant ids of the remote tiles in the DOM ({@code [data-testid=remote-tile]}). */
    public List<String> tileIds() {
        List<String> ids = new ArrayList<>();
        jsJson("window.mediBridgeApp.tileIds()").forEach(n -> ids.add(n.asText()));
        return ids;
    }

    /** The name label of the tile of a participant, or empty if there is no such tile. */
    public Optional<String> tileName(String participantId) {
        Object v = js("const t = document.getElementById('tile-' + arguments[0]);"
                + "return t ? t.querySelector('.name').textContent : null;", participantId);
        return Optional.ofNullable((String) v);
    }

    /**
     * Forces the CSS size (px) of a participant's remote tile ({@code mediBridgeApp.setTileSize}); null,
     * null gives it back to the layout. Fails if there is no such tile.
     */
    public void setTileSize(String participantId, Integer cssWidth, Integer cssHeight) {
        Object r = js("return window.mediBridgeApp.setTileSize(arguments[0], arguments[1], arguments[2]);",
                participantId, cssWidth, cssHeight);
        if (r == null) {
            throw new AssertionError(name + " has no tile of " + participantId + " (tiles: " + tileIds() + ")");
        }
    }

    /** Hides (display:none) or shows a participant's remote tile ({@code mediBridgeApp.setTileHidden}). */
    public void setTileHidden(String participantId, boolean hidden) {
        Object r = js("return window.mediBridgeApp.setTileHidden(arguments[0], arguments[1]);", participantId, hidden);
        if (!Boolean.TRUE.equals(r)) {
            throw new AssertionError(name + " has no tile of " + participantId + " (tiles: " + tileIds() + ")");
        }
    }

    /**
     * {@code mediBridgeApp.renderSizes()}: {@code sent} (the last render-size {@code tracks} map sent to the
     * server), {@code now} (what would be reported now) and {@code reports} (how many were sent).
     */
    public JsonNode renderSizes() {
        return jsJson("window.mediBridgeApp.renderSizes()");
    }

    /** All remote tracks the client has seen (live and ended), with the browser's track readyState. */
    public List<RemoteTrack> remoteTracks() {
        JsonNode arr = jsJson("window.mediBridge ? window.mediBridge.snapshot().remoteTracks : []");
        List<RemoteTrack> out = new ArrayList<>();
        for (JsonNode r : arr) {
            out.add(new RemoteTrack(text(r, "mid"), text(r, "participantId"), text(r, "trackId"), text(r, "kind"),
                    r.path("track").path("readyState").asText(null), r.path("ended").asBoolean(),
                    text(r, "endReason"), num(r, "offerAppliedAt"), num(r, "firstFrameAt"), num(r, "firstFrameDelayMs"),
                    r.path("transceiverStopped").asBoolean()));
        }
        return out;
    }

    public List<RemoteTrack> remoteTracksOf(String participantId) {
        return remoteTracks().stream().filter(t -> participantId.equals(t.participantId())).toList();
    }

    /** {@code performance.timeOrigin + timings.joined}: when this page got {@code joined}, epoch ms. */
    public double joinedAtEpochMs() {
        Object v = js("const c = window.mediBridge;"
                + "return c && c.timings.joined != null ? performance.timeOrigin + c.timings.joined : null;");
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    /**
     * The subscriber connection's loss-recovery figures from getStats(): per inbound video stream
     * its RTX SSRC (present when RTX was negotiated), NACKs sent, retransmitted packets received,
     * freezes; and the transport's packet and byte counts (everything that arrived, probe padding
     * included, which no inbound-rtp stream counts).
     */
    public JsonNode recoveryStats() {
        String s;
        synchronized (browser) {
            s = (String) ((JavascriptExecutor) driver()).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    (async () => {
                      const c = window.mediBridge;
                      const res = { video: [], transport: null, inboundPackets: 0, inboundHeaderBytes: 0, inboundBytes: 0 };
                      if (!c || !c.subscriberPc) return JSON.stringify(res);
                      const stats = await c.subscriberPc.getStats();
                      stats.forEach((s) => {
                        if (s.type === 'inbound-rtp') {
                          res.inboundPackets += s.packetsReceived || 0;
                          res.inboundBytes += s.bytesReceived || 0;
                          res.inboundHeaderBytes += s.headerBytesReceived || 0;
                        }
                        if (s.type === 'inbound-rtp' && s.kind === 'video') {
                          res.video.push({ ssrc: s.ssrc, rtxSsrc: s.rtxSsrc ?? null, packetsReceived: s.packetsReceived,
                            packetsLost: s.packetsLost, nackCount: s.nackCount,
                            retransmittedPacketsReceived: s.retransmittedPacketsReceived ?? null,
                            retransmittedBytesReceived: s.retransmittedBytesReceived ?? null,
                            framesDecoded: s.framesDecoded, freezeCount: s.freezeCount ?? null,
                            frameWidth: s.frameWidth ?? null });
                        }
                        if (s.type === 'transport') {
                          res.transport = { packetsReceived: s.packetsReceived, bytesReceived: s.bytesReceived };
                        }
                      });
                      return JSON.stringify(res);
                    })().then(done, (e) => done(JSON.stringify({ error: String(e) })));
                    """);
        }
        return parse(s);
    }

    /** One getStats() sample of both peer connections (inbound mapped to participants). */
    public StatsSample sample() {
        String s;
        synchronized (browser) {
            s = (String) ((JavascriptExecutor) driver()).executeAsyncScript(STATS_SCRIPT);
        }
        JsonNode n = parse(s);
        if (n.has("error")) {
            throw new IllegalStateException("getStats failed in " + name + ": " + n.get("error").asText());
        }
        List<Inbound> inbound = new ArrayList<>();
        for (JsonNode i : n.path("inbound")) {
            inbound.add(new Inbound(text(i, "kind"), text(i, "mid"), text(i, "participantId"), text(i, "trackId"),
                    i.path("bytesReceived").asLong(), i.path("packetsReceived").asLong(),
                    i.path("framesDecoded").asLong(), i.path("frameWidth").asInt(), i.path("frameHeight").asInt(),
                    i.path("totalAudioEnergy").asDouble(), text(i, "trackReadyState")));
        }
        List<Outbound> outbound = new ArrayList<>();
        for (JsonNode o : n.path("outbound")) {
            outbound.add(new Outbound(text(o, "kind"), o.path("bytesSent").asLong(), o.path("framesEncoded").asLong(),
                    o.path("frameWidth").asInt(), o.path("frameHeight").asInt()));
        }
        return new StatsSample(n.path("at").asDouble(), n.path("epochMs").asDouble(), inbound, outbound);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Double num(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asDouble();
    }

    @Override
    public String toString() {
        return name + "@" + room + (participantId != null ? "(" + participantId + ")" : "");
    }

    // ------------------------------------------------------------ value types

    public record PageEvent(String type, double at, JsonNode detail) {
        @Override
        public String toString() {
            return type + "@" + Math.round(at) + detail;
        }
    }

    public record RemoteTrack(String mid, String participantId, String trackId, String kind, String readyState,
            boolean ended, String endReason, Double offerAppliedAt, Double firstFrameAt, Double firstFrameDelayMs,
            boolean transceiverStopped) {
    }

    public record Inbound(String kind, String mid, String participantId, String trackId, long bytesReceived,
            long packetsReceived, long framesDecoded, int frameWidth, int frameHeight, double totalAudioEnergy,
            String trackReadyState) {
    }

    public record Outbound(String kind, long bytesSent, long framesEncoded, int frameWidth, int frameHeight) {
    }

    /**
     * @param at page time (performance.now(), ms)
     * @param epochMs the same instant as epoch ms, comparable across pages
     */
    public record StatsSample(double at, double epochMs, List<Inbound> inbound, List<Outbound> outbound) {

        public Optional<Inbound> from(String participantId, String kind) {
            return inbound.stream()
                    .filter(i -> participantId.equals(i.participantId()) && kind.equals(i.kind()))
                    .reduce((a, b) -> b); // the newest m-line if a participant re-published
        }

        public long totalBytesReceived() {
            return inbound.stream().mapToLong(Inbound::bytesReceived).sum();
        }

        public Optional<Outbound> outbound(String kind) {
            return outbound.stream().filter(o -> kind.equals(o.kind())).findFirst();
        }
    }
}
