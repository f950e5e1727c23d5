#!/bin/sh
# Manual Firefox check of the demo page (no WebDriver needed; Debian has no geckodriver).
# The automated variant is signaling/src/test/java/org/medibridge/e2e/FirefoxInteropE2ETest.java.
#
#   scripts/firefox-check.sh http://127.0.0.1:8080 visit-42 [name]
#
# Starts headless firefox-esr with fake camera/microphone in a throwaway profile, joined to ROOM.
# Join the same room from another browser (e.g. Chromium) and look at that side; Firefox's own
# status (state, tiles, inbound stats) is printed once a second, via the page's ?report= hook,
# to a tiny local collector. Ctrl-C ends Firefox and the collector.
set -eu
BASE=${1:?usage: $0 BASE_URL ROOM [NAME]}
ROOM=${2:?usage: $0 BASE_URL ROOM [NAME]}
NAME=${3:-Firefox}
FIREFOX=${FIREFOX:-/usr/bin/firefox-esr}
PROFILE=$(mktemp -d /tmp/medibridge-ff-XXXXXX)
cat > "$PROFILE/user.js" <<'PREFS'
user_pref("media.navigator.streams.fake", true);
user_pref("media.navigator.permission.disabled", true);
user_pref("media.autoplay.default", 0);
user_pref("media.autoplay.blocking_policy", 0);
user_pref("media.peerconnection.ice.obfuscate_host_addresses", false);
user_pref("media.peerconnection.ice.loopback", true);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("app.normandy.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
PREFS
PORT=${REPORT_PORT:-18099}
python3 - "$PORT" <<'PY' &
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        r = json.loads(self.rfile.read(int(self.headers['Content-Length'])))
        c = (r.get('snapshot') or {}).get('client') or {}
        ins = [(i['kind'], i.get('participantId'), i.get('framesDecoded'), i.get('frameWidth'), i.get('bytesReceived'))
               for i in r['stats']['inbound']]
        print(c.get('state'), c.get('participantId'), 'tiles', r['snapshot']['tiles'], 'error', r['snapshot']['error'],
              'inbound(kind, from, frames, width, bytes)', ins, flush=True)
        self.send_response(204); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
PY
COLLECTOR=$!
ENC_NAME=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$NAME")
MOZ_HEADLESS=1 "$FIREFOX" --headless --no-remote --profile "$PROFILE" \
  "$BASE/?room=$ROOM&name=$ENC_NAME&report=http://127.0.0.1:$PORT/report" >"$PROFILE/firefox.log" 2>&1 &
FF=$!
trap 'kill $FF $COLLECTOR 2>/dev/null; wait $FF 2>/dev/null; rm -rf "$PROFILE"' EXIT INT TERM
echo "firefox pid $FF (log $PROFILE/firefox.log); Ctrl-C to stop"
wait $FF
