// MediBridge demo page. `/?room=<id>&name=<name>` joins directly; without them a form asks.
//
// Test hooks (stable, used by the e2e tests):
//   window.mediBridge          the MediBridgeClient (publisherPc, subscriberPc, remoteTracks, snapshot())
//   window.mediBridgeApp       {events: [{type, at, detail}], snapshot(), tileIds(), statsSummary()}
//   <body data-state="idle|connecting|joined|closed" data-participant-id="...">
//   remote tiles: <figure id="tile-<participantId>" data-participant-id="<participantId>" data-testid="remote-tile">
//   buttons: #btn-mute, #btn-camera, #btn-leave; status line #status; errors #error / #error-text
//   ?report=<http://127.0.0.1:PORT/path>  (loopback or this page's own host only) POSTs a JSON status every
//   second (used by the Firefox check, which runs without a WebDriver).
import { MediBridgeClient } from './medibridge.js';

const ROOM_RE = /^[A-Za-z0-9_.-]{1,64}$/;
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);

const appEvents = [];
const app = {
  events: appEvents,
  client: null,
  snapshot: () => ({
    client: app.client ? app.client.snapshot() : null,
    tiles: tileIds(),
    status: $('status').textContent,
    error: $('error').hidden ? null : $('error-text').textContent,
  }),
  tileIds,
  statsSummary,
};
window.mediBridgeApp = app;

function record(type, detail) {
  appEvents.push({ type, at: performance.now(), detail });
}

function setStatus(text) {
  $('status').textContent = text;
}

function showError(text) {
  $('error-text').textContent = text;
  $('error').hidden = false;
  record('ui-error', { text });
}

$('error-dismiss').addEventListener('click', () => { $('error').hidden = true; });

function show(section) {
  for (const id of ['lobby', 'call', 'left']) $(id).hidden = id !== section;
  $('controls').hidden = section !== 'call';
}

// ------------------------------------------------------------------ lobby

function showLobby() {
  show('lobby');
  setStatus('Not connected');
  if (params.get('room')) $('join-room').value = params.get('room');
  if (params.get('name')) $('join-name').value = params.get('name');
  $('join-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const room = $('join-room').value.trim();
    const name = $('join-name').value.trim();
    if (!ROOM_RE.test(room)) {
      showError('The visit code may contain letters, digits, ".", "_" and "-" (at most 64).');
      return;
    }
    if (!name || name.length > 64) {
      showError('Please enter your name (at most 64 characters).');
      return;
    }
    const next = new URLSearchParams(params);
    next.set('room', room);
    next.set('name', name);
    location.search = next.toString(); // shareable URL; the reload joins directly
  });
}

// ------------------------------------------------------------------ call

function tileIds() {
  return [...document.querySelectorAll('[data-testid="remote-tile"]')].map((t) => t.dataset.participantId);
}

function findTile(participantId) {
  return document.querySelector(`[data-testid="remote-tile"][data-participant-id="${CSS.escape(participantId)}"]`);
}

function ensureTile(p) {
  let tile = findTile(p.participantId);
  if (!tile) {
    tile = $('remote-tile-template').content.firstElementChild.cloneNode(true);
    tile.id = `tile-${p.participantId}`;
    tile.dataset.participantId = p.participantId;
    $('tiles').appendChild(tile);
    record('tile-added', { participantId: p.participantId });
  }
  tile.querySelector('.name').textContent = p.name || 'Guest';
  updateBadges(tile, p.audio, p.video);
  updateWaiting();
  return tile;
}

function removeTile(participantId) {
  const tile = findTile(participantId);
  if (!tile) return;
  for (const el of tile.querySelectorAll('video, audio')) el.srcObject = null;
  tile.remove();
  record('tile-removed', { participantId });
  updateWaiting();
}

function updateBadges(tile, audio, video) {
  tile.querySelector('.mic-off').hidden = audio !== false;
  tile.querySelector('.cam-off').hidden = video !== false;
}

function updateWaiting() {
  $('waiting').hidden = tileIds().length > 0;
}

function playMedia(el) {
  const p = el.play();
  if (p && p.catch) {
    p.catch((err) => {
      if (err && err.name === 'NotAllowedError') {
        // Autoplay with sound needs a user gesture in some browsers (Safari, Chrome without interaction).
        $('sound-prompt').hidden = false;
        record('autoplay-blocked', { kind: el.tagName.toLowerCase() });
      }
    });
  }
}

$('sound-prompt').addEventListener('click', () => {
  $('sound-prompt').hidden = true;
  for (const el of document.querySelectorAll('.tile audio, .tile video')) {
    if (el.srcObject) playMedia(el);
  }
});

function attachRemote(r) {
  const p = (app.client && app.client.participants.get(r.participantId)) || { participantId: r.participantId, name: '' };
  const tile = ensureTile(p);
  const el = tile.querySelector(r.kind === 'video' ? 'video' : 'audio');
  el.srcObject = r.stream;
  el.dataset.mid = r.mid;
  el.dataset.trackId = r.trackId || '';
  if (r.kind === 'video') tile.classList.add('has-video');
  playMedia(el);
}

function detachRemote(r) {
  const tile = r.participantId ? findTile(r.participantId) : null;
  if (!tile) return;
  const el = tile.querySelector(r.kind === 'video' ? 'video' : 'audio');
  if (el.srcObject === r.stream) {
    el.srcObject = null;
    delete el.dataset.mid;
    if (r.kind === 'video') tile.classList.remove('has-video');
  }
}

function setButtons(client) {
  const mute = $('btn-mute');
  mute.textContent = client.audioEnabled ? 'Mute' : 'Unmute';
  mute.setAttribute('aria-pressed', String(!client.audioEnabled));
  const cam = $('btn-camera');
  cam.textContent = client.videoEnabled ? 'Camera off' : 'Camera on';
  cam.setAttribute('aria-pressed', String(!client.videoEnabled));
  const local = $('tile-local');
  updateBadges(local, client.audioEnabled, client.videoEnabled);
}

function describeConnection(client) {
  const pub = client.publisherPc ? client.publisherPc.connectionState : 'new';
  if (pub === 'connected') {
    const n = client.participants.size;
    return n === 0 ? 'Connected – waiting for others' : `Connected – ${n + 1} in this visit`;
  }
  if (pub === 'failed') return 'Media connection failed';
  if (pub === 'disconnected') return 'Connection interrupted – reconnecting…';
  return 'Connecting media…';
}

async function startCall(room, name) {
  show('call');
  $('room-label').hidden = false;
  $('room-label').textContent = `Visit ${room}`;
  $('local-name').textContent = `${name} (you)`;
  setStatus('Starting camera…');

  const client = new MediBridgeClient({ room, name, token: params.get('token') || undefined });
  app.client = client;
  window.mediBridge = client;

  // Mirror every client event into the page's event list (JSON-safe summary).
  const types = ['local-stream', 'joined', 'participant-joined', 'participant-left', 'participant-updated',
    'track-published', 'track-unpublished', 'remote-track', 'remote-track-ended', 'subscriber-offer-applied',
    'first-frame', 'connection-state', 'ice-connection-state', 'media-state', 'state', 'error', 'closed'];
  for (const t of types) {
    client.addEventListener(t, (ev) => record(t, lastSummary(client, t, ev.detail)));
  }

  client.addEventListener('state', (ev) => { document.body.dataset.state = ev.detail.state; });
  client.addEventListener('local-stream', (ev) => {
    const v = $('local-video');
    v.srcObject = ev.detail.stream;
    playMedia(v);
    setStatus('Connecting…');
  });
  client.addEventListener('joined', (ev) => {
    document.body.dataset.participantId = ev.detail.participantId;
    $('tile-local').dataset.participantId = ev.detail.participantId;
    setStatus(describeConnection(client));
    updateWaiting();
  });
  client.addEventListener('participant-joined', (ev) => {
    ensureTile(ev.detail.participant);
    setStatus(describeConnection(client));
  });
  client.addEventListener('participant-left', (ev) => {
    removeTile(ev.detail.participantId);
    setStatus(describeConnection(client));
  });
  client.addEventListener('participant-updated', (ev) => {
    const tile = findTile(ev.detail.participantId);
    if (tile) updateBadges(tile, ev.detail.audio, ev.detail.video);
  });
  client.addEventListener('remote-track', (ev) => attachRemote(ev.detail));
  client.addEventListener('remote-track-ended', (ev) => detachRemote(ev.detail));
  client.addEventListener('connection-state', () => setStatus(describeConnection(client)));
  client.addEventListener('media-state', () => setButtons(client));
  client.addEventListener('error', (ev) => showError(ev.detail.message || ev.detail.code));
  client.addEventListener('closed', (ev) => {
    for (const id of tileIds()) removeTile(id);
    $('local-video').srcObject = null;
    const byUser = ev.detail.reason === 'left';
    $('left-title').textContent = byUser ? 'You left the visit' : 'The visit ended';
    $('left-text').textContent = byUser ? 'You can close this window.' : (ev.detail.message || 'The connection was closed.');
    show('left');
    setStatus('Not connected');
  });

  $('btn-mute').onclick = () => client.setAudioEnabled(!client.audioEnabled);
  $('btn-camera').onclick = () => client.setVideoEnabled(!client.videoEnabled);
  $('btn-leave').onclick = () => client.leave();
  setButtons(client);

  try {
    await client.join();
  } catch (err) {
    // join() already emitted `error` (shown) and `closed`.
    record('join-failed', { code: err.code, message: err.message });
  }
}

function lastSummary(client, type, detail) {
  const log = client.eventLog;
  for (let i = log.length - 1; i >= 0; i--) {
    if (log[i].type === type && log[i].detail === detail) return log[i].summary;
  }
  return null;
}

$('rejoin').addEventListener('click', () => location.reload());

// ------------------------------------------------------------------ stats (diagnostics, Firefox check)

/** Per inbound/outbound RTP stream summary of both peer connections. */
async function statsSummary() {
  const c = app.client;
  const out = { at: performance.now(), inbound: [], outbound: [] };
  if (!c) return out;
  const midInfo = (mid) => (mid != null && c.remoteTracks.get(String(mid))) || null;
  if (c.subscriberPc) {
    for (const s of (await c.subscriberPc.getStats()).values()) {
      if (s.type !== 'inbound-rtp') continue;
      const r = midInfo(s.mid)
        || [...c.remoteTracks.values()].find((x) => x.track && x.track.id === s.trackIdentifier) || null;
      out.inbound.push({
        kind: s.kind, mid: s.mid ?? null, ssrc: s.ssrc, participantId: r ? r.participantId : null,
        bytesReceived: s.bytesReceived || 0, packetsReceived: s.packetsReceived || 0, packetsLost: s.packetsLost || 0,
        framesDecoded: s.framesDecoded ?? null, frameWidth: s.frameWidth ?? null, frameHeight: s.frameHeight ?? null,
        totalAudioEnergy: s.totalAudioEnergy ?? null, trackIdentifier: s.trackIdentifier ?? null,
      });
    }
  }
  if (c.publisherPc) {
    for (const s of (await c.publisherPc.getStats()).values()) {
      if (s.type !== 'outbound-rtp') continue;
      out.outbound.push({
        kind: s.kind, mid: s.mid ?? null, bytesSent: s.bytesSent || 0, packetsSent: s.packetsSent || 0,
        framesEncoded: s.framesEncoded ?? null, frameWidth: s.frameWidth ?? null, frameHeight: s.frameHeight ?? null,
      });
    }
  }
  return out;
}

function startReporting(target) {
  let url;
  try {
    url = new URL(target);
  } catch (e) {
    return;
  }
  // Only ever to this machine or to the host that served this page (a test's own address, e.g. a
  // browser in a test network namespace): the report carries names and participant ids.
  if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]', location.hostname].includes(url.hostname)) return;
  const send = async () => {
    try {
      const body = JSON.stringify({
        userAgent: navigator.userAgent,
        snapshot: app.snapshot(),
        stats: await statsSummary(),
        events: appEvents.slice(-200),
      });
      // A "simple" request (text/plain, no-cors): no CORS preflight needed.
      await fetch(url.href, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body });
    } catch (e) {
      /* the collector may be gone */
    }
  };
  setInterval(send, 1000);
}

// ------------------------------------------------------------------ start

const room = (params.get('room') || '').trim();
const name = (params.get('name') || '').trim();
if (params.get('report')) startReporting(params.get('report'));
if (ROOM_RE.test(room) && name && name.length <= 64) {
  startCall(room, name);
} else {
  if (room && !ROOM_RE.test(room)) showError('The visit code in the link is not valid.');
  showLobby();
}
