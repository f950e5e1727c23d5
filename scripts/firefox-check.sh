#!/bin/sh
# Manual Firefox check of the demo page (no WebDriver needed; Debian has no geckodriver).
# The automated variant is signaling/src/test/java/org/medibridge/e2e/FirefoxInteropE2ETest.java.
#
#   scripts/firefox-check.sh http://SERVER:8080 visit-42 [name]
#       Firefox on this host. SERVER must be a non-loopback address: Firefox gathers no ICE
#       candidates on loopback and does not pair its others with a 127.0.0.1 server candidate.
#
#   scripts/firefox-check.sh --netns 8080 visit-42 [name]          (as root)
#       Firefox in a throwaway network namespace joined to this host by a veth pair
#       (host side $HOST_ADDR, default 10.213.7.1/30; namespace side $NS_ADDR, default 10.213.7.2),
#       so that all traffic stays between the two. Start the server on the host side, e.g.
#         java -jar signaling/target/medibridge.jar --dev --bind-address 10.213.7.1 \
#              --public-address 10.213.7.1 --http-port 8080
#       (the script waits for it). The namespace, the veth pair and everything started in the
#       namespace are removed when the script ends.
#
# Starts headless firefox-esr with fake camera/microphone in a throwaway profile, joined to ROOM.
# Join the same room from another browser (e.g. Chromium; in --netns mode the script prints a
# command that runs it in the same namespace) and look at that side; Firefox's own status (state,
# tiles, inbound stats) is printed once a second, via the page's ?report= hook, to a tiny collector
# (on 127.0.0.1, or on the host-side address in --netns mode: the page reports only to loopback or
# to the host it was loaded from). Ctrl-C ends Firefox and the collector.
set -eu
USAGE="usage: $0 BASE_URL ROOM [NAME]  |  $0 --netns HTTP_PORT ROOM [NAME]"
NETNS=
if [ "${1:-}" = "--netns" ]; then
  shift
  HTTP_PORT=${1:?$USAGE}
  HOST_ADDR=${HOST_ADDR:-10.213.7.1}
  NS_ADDR=${NS_ADDR:-10.213.7.2}
  BASE="http://$HOST_ADDR:$HTTP_PORT"
  NETNS=mbcheck-$$
  HOST_LINK=mbchk$$h
  NS_LINK=mbchk$$n
  REPORT_HOST=$HOST_ADDR
else
  BASE=${1:?$USAGE}
  REPORT_HOST=127.0.0.1
  case "$BASE" in
    *://127.*|*://localhost*|*://\[::1\]*)
      echo "warning: Firefox does not do ICE over loopback; the call will fail (use --netns)" >&2 ;;
  esac
fi
ROOM=${2:?$USAGE}
NAME=${3:-Firefox}
FIREFOX=${FIREFOX:-/usr/bin/firefox-esr}
PORT=${REPORT_PORT:-18099}
PROFILE=$(mktemp -d /tmp/medibridge-ff-XXXXXX)
FF=
COLLECTOR=
cleanup() {
  if [ -n "$FF" ]; then kill "$FF" 2>/dev/null || true; wait "$FF" 2>/dev/null || true; fi
  if [ -n "$COLLECTOR" ]; then kill "$COLLECTOR" 2>/dev/null || true; fi
  if [ -n "$NETNS" ]; then
    # whatever still runs in the namespace was started by this script (Firefox's helpers, a Chromium)
    for p in $(ip netns pids "$NETNS" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
    ip netns del "$NETNS" 2>/dev/null || true
    ip link del "$HOST_LINK" 2>/dev/null || true
  fi
  rm -rf "$PROFILE"
  FF= COLLECTOR= NETNS=
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "$NETNS" ]; then
  [ "$(id -u)" = 0 ] || { echo "--netns needs root" >&2; exit 1; }
  command -v ip >/dev/null || { echo "--netns needs ip (iproute2)" >&2; exit 1; }
  if ip -4 -o addr show | grep -q " $HOST_ADDR/"; then
    echo "$HOST_ADDR is already assigned here (another check running?); set HOST_ADDR/NS_ADDR" >&2
    NETNS=; exit 1
  fi
  ip netns add "$NETNS"
  ip link add "$HOST_LINK" type veth peer name "$NS_LINK"
  ip link set "$NS_LINK" netns "$NETNS"
  ip addr add "$HOST_ADDR/30" dev "$HOST_LINK"
  ip link set "$HOST_LINK" up
  ip -n "$NETNS" addr add "$NS_ADDR/30" dev "$NS_LINK"
  ip -n "$NETNS" link set "$NS_LINK" up
  ip -n "$NETNS" link set lo up
  echo "namespace $NETNS: $HOST_LINK $HOST_ADDR <-> $NS_LINK $NS_ADDR"
  echo "start the server now, e.g.: java -jar signaling/target/medibridge.jar --dev --bind-address $HOST_ADDR --public-address $HOST_ADDR --http-port $HTTP_PORT"
  i=0
  until python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$BASE/" 2>/dev/null; do
    i=$((i + 1)); [ $i -le 300 ] || { echo "no server at $BASE after 5 minutes" >&2; exit 1; }
    sleep 1
  done
fi

cat > "$PROFILE/user.js" <<'PREFS'
user_pref("media.navigator.streams.fake", true);
user_pref("media.navigator.permission.disabled", true);
user_pref("media.autoplay.default", 0);
user_pref("media.autoplay.blocking_policy", 0);
user_pref("media.peerconnection.ice.obfuscate_host_addresses", false);
user_pref("media.devices.insecure.enabled", true);
user_pref("media.getusermedia.insecure.enabled", true);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("app.normandy.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
PREFS
python3 - "$REPORT_HOST" "$PORT" <<'PY' &
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        r = json.loads(self.rfile.read(int(self.headers['Content-Length'])))
        c = (r.get('snapshot') or {}).get('client') or {}
        ins = [(i['kind'], i.get('participantId'), i.get('framesDecoded'), i.get('frameWidth'), i.get('bytesReceived'))
               for i in r['stats']['inbound']]
        print(c.get('name'), c.get('state'), c.get('participantId'), 'tiles', r['snapshot']['tiles'], 'error', r['snapshot']['error'],
              'inbound(kind, from, frames, width, bytes)', ins, flush=True)
        self.send_response(204); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer((sys.argv[1], int(sys.argv[2])), H).serve_forever()
PY
COLLECTOR=$!
ENC_NAME=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$NAME")
URL="$BASE/?room=$ROOM&name=$ENC_NAME&report=http://$REPORT_HOST:$PORT/report"
if [ -n "$NETNS" ]; then
  MOZ_HEADLESS=1 ip netns exec "$NETNS" "$FIREFOX" --headless --no-remote --profile "$PROFILE" "$URL" \
    >"$PROFILE/firefox.log" 2>&1 &
  FF=$!
  echo "other side, in the same namespace (e.g. in another shell):"
  echo "  ip netns exec $NETNS chromium --headless=new --no-sandbox --use-fake-device-for-media-stream --use-fake-ui-for-media-stream --unsafely-treat-insecure-origin-as-secure=$BASE --user-data-dir=\$(mktemp -d) '$BASE/?room=$ROOM&name=Chromium&report=http://$REPORT_HOST:$PORT/report'"
else
  MOZ_HEADLESS=1 "$FIREFOX" --headless --no-remote --profile "$PROFILE" "$URL" >"$PROFILE/firefox.log" 2>&1 &
  FF=$!
fi
echo "firefox pid $FF (log $PROFILE/firefox.log); Ctrl-C to stop"
wait $FF
