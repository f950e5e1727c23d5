#!/usr/bin/env bash
# Starts signaling/target/medibridge.jar --dev on loopback, runs the load generator against it with
# the given arguments, stops the server. Run from the repository root, under the heavy-work lock:
#   flock /tmp/medibridge-heavy.lock benchmarks/scripts/loadgen-against-jar.sh --rooms 25 --duration 30 --json out.json
set -euo pipefail
HTTP_PORT=${HTTP_PORT:-18480}
MEDIA_PORT=${MEDIA_PORT:-18481}
WORK=$(mktemp -d /tmp/medibridge-loadgen.XXXXXX)
java ${SERVER_JAVA_OPTS:-} -jar signaling/target/medibridge.jar --dev --http-port "$HTTP_PORT" --media-port "$MEDIA_PORT" \
  --bind-address 127.0.0.1 --public-address 127.0.0.1 \
  --audit-log "$WORK/audit.log" --recordings-dir "$WORK/recordings" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$HTTP_PORT/health" >/dev/null 2>&1 && break
  sleep 0.1
done
java ${LOADGEN_JAVA_OPTS:-} -jar benchmarks/target/medibridge-loadgen.jar --url "ws://127.0.0.1:$HTTP_PORT" \
  --server-pid "$SERVER_PID" "$@"
echo "server log: $WORK/server.log"
