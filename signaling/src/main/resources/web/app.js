// MediBridge demo page.
//   /?token=<join token>        an appointment's join link (doctor or patient view, from the token's role)
//   /?room=<id>&name=<name>     an open room (server in --dev mode); without them a form asks
//
// Test hooks (stable, used by the e2e tests):
//   window.mediBridge          the MediBridgeClient (publisherPc, subscriberPc, remoteTracks, snapshot())
//   window.mediBridgeApp       {events: [{type, at, detail}], snapshot(), tileIds(), waitingIds(), statsSummary(),
//                               setTileSize(participantId, w, h), setTileHidden(participantId, hidden), renderSizes()}
//     setTileSize: forces a remote tile's CSS size in px (null, null = back to the layout's size); returns the
//       video element's CSS size {width, height} or null without such a tile. setTileHidden: display:none on/off.
//     renderSizes(): {sent: <last render-size `tracks` sent>, now: <what would be reported now>, reports: <count>}
//   ?simulcast=0  publishes the camera as one stream instead of 3 simulcast layers (option `simulcast`)
//   ?tile=WxH     shows every remote tile at W×H CSS px (as setTileSize does), e.g. tile=1280x720
//   ?video=0      joins without a camera (microphone only; MediBridgeClient option `video: false`)
//   <body data-state="idle|connecting|joined|closed" data-participant-id="..." data-role="doctor|patient|guest"
//         data-admission="waiting|admitted" data-closed-reason="<closed reason>" data-error-code="<join error code>">
//   remote tiles: <figure id="tile-<participantId>" data-participant-id="<participantId>" data-testid="remote-tile">
//   buttons: #btn-mute, #btn-camera, #btn-leave; status line #status; errors #error / #error-text; notices #notice
//   patient: #waiting-screen, #doctor-status[data-doctor-present="true|false"], #preview-video
//   doctor:  #doctor-panel; waiting list #waiting-list of
//              <li id="waiting-<pid>" data-testid="waiting-item" data-participant-id="<pid>" data-since="<iso>">
//              with #btn-admit-<pid> / #btn-deny-<pid>;
//            participants #participant-list of <li id="participant-<pid>" data-testid="participant-item" ...>
//              with #btn-mute-audio-<pid>, #btn-mute-video-<pid>, #btn-remove-<pid>;
//            #btn-lock, #btn-auto-admit (aria-pressed), #btn-end-visit -> #confirm-dialog[data-action] with
//            #btn-confirm-ok / #btn-confirm-cancel
//   connection quality: on #tile-local and each remote tile a badge [data-testid="quality"][data-quality=
//              "excellent|good|poor|lost"] (hidden until the server measured that participant); snapshot().qualities
//   closed / refused: #left[data-reason] with #left-title, #left-text, #rejoin
//   recording: #recording-indicator[data-state="none|requested|recording|paused|stopped"][data-reason][data-by]
//              with #recording-text (in #recording-banner), #btn-withdraw-consent (shown once we said yes, while
//              the recording is active); doctor: #btn-record[data-recording] ("Record" / "Stop recording",
//              in the controls bar);
//              everyone in the call: dialog#consent-dialog[data-recording-id] with #btn-consent-yes / #btn-consent-no
//   ?report=<http://127.0.0.1:PORT/path>  (loopback or this page's own host only) POSTs a JSON status every
//   second (used by the Firefox check, which runs without a WebDriver).
import { MediBridgeClient, FINAL_CLOSE_REASONS, tokenClaim } from './medibridge.js';

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
    waiting: waitingIds(),
    view: currentView,
    role: document.body.dataset.role || null,
    admission: document.body.dataset.admission || null,
    status: $('status').textContent,
    error: $('error').hidden ? null : $('error-text').textContent,
    notice: $('notice').hidden ? null : $('notice-text').textContent,
    recording: {
      state: $('recording-indicator').dataset.state,
      text: $('recording-banner').hidden ? null : $('recording-text').textContent,
      consentDialog: $('consent-dialog').open ? $('consent-dialog').dataset.recordingId || null : null,
      withdrawVisible: !$('btn-withdraw-consent').hidden,
    },
    qualities: Object.fromEntries([...document.querySelectorAll('[data-testid="quality"]:not([hidden])')]
      .map((b) => { const t = b.closest('.tile'); return [t.dataset.local ? 'local' : t.dataset.participantId, b.dataset.quality]; })),
    left: $('left').hidden ? null : { reason: $('left').dataset.reason || null, title: $('left-title').textContent,
      text: $('left-text').textContent },
  }),
  tileIds,
  waitingIds,
  statsSummary,
  setTileSize,
  setTileHidden,
  renderSizes,
};
window.mediBridgeApp = app;

let currentView = null;

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

function showNotice(text) {
  $('notice-text').textContent = text;
  $('notice').hidden = false;
  record('ui-notice', { text });
}

$('error-dismiss').addEventListener('click', () => { $('error').hidden = true; });
$('notice-dismiss').addEventListener('click', () => { $('notice').hidden = true; });

function show(section) {
  currentView = section;
  for (const id of ['lobby', 'waiting-screen', 'call', 'left']) $(id).hidden = id !== section;
  $('controls').hidden = section !== 'call' && section !== 'waiting-screen';
  document.body.dataset.view = section;
}

// ------------------------------------------------------------------ time formatting

function parseTime(iso) {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? null : new Date(t);
}

function clock(date) {
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** "09:50" today, else "Tue 24 Nov, 09:50". */
function when(date) {
  const today = new Date();
  if (date.toDateString() === today.toDateString()) return clock(date);
  return `${date.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' })}, ${clock(date)}`;
}

/** "<1 min", "2 min", "1 h 5 min" since `since` (clamped at 0 against clock skew). */
function duration(since) {
  const ms = Math.max(0, Date.now() - since.getTime());
  const min = Math.floor(ms / 60000);
  if (min < 1) return '<1 min';
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

// ------------------------------------------------------------------ messages for the user

/** Refused joins: [title, text]. `e` carries {code, message, validFrom}. */
function joinErrorText(e) {
  const from = parseTime(e.validFrom);
  switch (e.code) {
    case 'token_not_yet_valid':
      return ['Too early to join', from
        ? `This link is valid from ${when(from)}. Please come back then.`
        : (e.message || 'This link is not valid yet. Please come back closer to your appointment time.')];
    case 'token_expired': return ['This link has expired', 'The time for this visit is over. Please contact your clinic if you still need to be seen.'];
    case 'token_malformed': return ['This link is incomplete', 'Part of the visit link seems to be missing. Please open the link from your invitation again, or copy all of it.'];
    case 'token_bad_signature': return ['This link is not valid', 'This visit link was not issued for this service. Please use the link your clinic sent you.'];
    case 'token_wrong_room': return ['This link is for another visit', 'The link does not belong to this visit. Please use the link your clinic sent you.'];
    case 'token_removed': return ['You cannot rejoin this visit', 'You were removed from this visit, so this link no longer works. Please contact your clinic.'];
    case 'token_unknown_role':
    case 'token_missing_claim': return ['This link is not valid', 'This visit link is missing information. Please contact your clinic for a new link.'];
    case 'appointment_not_found': return ['Visit not found', 'We could not find this visit. It may have been moved. Please contact your clinic.'];
    case 'appointment_cancelled': return ['This visit was cancelled', 'This appointment was cancelled. Please contact your clinic to book a new one.'];
    case 'appointment_ended': return ['This visit has ended', 'This visit is already over. You can close this window.'];
    case 'room_locked': return ['The visit is locked', 'The doctor has locked this visit, so nobody new can join right now. Please try again in a moment or contact your clinic.'];
    case 'room_full': return ['The visit is full', 'This visit has reached its participant limit.'];
    case 'not_allowed': return ['A visit link is needed', 'This server only opens visits through the link your clinic sends you.'];
    case 'media_denied':
    case 'media_not_found':
    case 'media_busy':
    case 'media_constraints':
    case 'media_unavailable': return ['Camera or microphone unavailable', e.message];
    case 'ws_failed':
    case 'ws_closed': return ['Cannot reach the visit', `${e.message}. Please check your internet connection and try again.`];
    default: return ['Could not join the visit', e.message || e.code || 'The connection was closed.'];
  }
}

/** Refused joins explained on the closed screen alone. */
const JOIN_SCREEN_CODES = /^(token_|appointment_|room_locked$|room_full$|not_allowed$)/;

/** Codes after which "Try again" with the same link cannot help. */
const FINAL_JOIN_CODES = ['token_expired', 'token_malformed', 'token_bad_signature', 'token_wrong_room', 'token_removed',
  'token_unknown_role', 'token_missing_claim', 'appointment_not_found', 'appointment_cancelled', 'appointment_ended'];

/** The session ended: [title, text] by `closed` reason. */
function closedText(d, role) {
  switch (d.reason) {
    case 'left': return ['You left the visit', 'You can close this window.'];
    case 'denied': return ['You were not admitted', 'The doctor could not let you into this visit. If you think this is a mistake, please contact your clinic.'];
    case 'removed': return ['You were removed from the visit', 'The doctor removed you from this visit. Please contact your clinic if you have questions.'];
    case 'ended': return ['This visit has ended', role === 'doctor'
      ? 'The visit was ended for everyone.' : 'Thank you for joining. You can close this window.'];
    case 'appointment_over': return ['This visit has ended', 'The time booked for this visit is over. You can close this window.'];
    case 'joined_elsewhere': return ['You joined from somewhere else', 'This visit is now open in another window or on another device, so it was closed here.'];
    case 'disconnected': return ['Connection lost', d.message || 'The connection to the visit was lost.'];
    default: return ['The visit ended', d.message || 'The connection was closed.'];
  }
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

function waitingIds() {
  return [...document.querySelectorAll('[data-testid="waiting-item"]')].map((t) => t.dataset.participantId);
}

function findTile(participantId) {
  return document.querySelector(`[data-testid="remote-tile"][data-participant-id="${CSS.escape(participantId)}"]`);
}

/** Test hook: forces a remote tile to w×h CSS px (null = back to the layout's size). */
function setTileSize(participantId, w, h) {
  const tile = findTile(participantId);
  if (!tile) return null;
  const px = (v) => (v == null ? '' : `${Number(v)}px`);
  tile.style.width = px(w);
  tile.style.height = px(h);
  tile.style.maxWidth = w == null ? '' : 'none';
  tile.style.aspectRatio = w == null && h == null ? '' : 'auto';
  record('tile-size', { participantId, width: w ?? null, height: h ?? null });
  const r = tile.querySelector('video').getBoundingClientRect();
  return { width: r.width, height: r.height };
}

/** Test hook: hides (display:none) or shows a remote tile. */
function setTileHidden(participantId, hidden) {
  const tile = findTile(participantId);
  if (!tile) return false;
  tile.style.display = hidden ? 'none' : '';
  record('tile-hidden', { participantId, hidden: !!hidden });
  return true;
}

/** Test hook: the last render-size report sent and what would be reported now. */
function renderSizes() {
  const c = app.client;
  if (!c) return { sent: null, now: {}, reports: 0 };
  return { sent: c.renderSize, now: c.measureRenderSizes(), reports: c.snapshot().renderSizeReports };
}

function ensureTile(p) {
  let tile = findTile(p.participantId);
  if (!tile) {
    tile = $('remote-tile-template').content.firstElementChild.cloneNode(true);
    tile.id = `tile-${p.participantId}`;
    tile.dataset.participantId = p.participantId;
    $('tiles').appendChild(tile);
    record('tile-added', { participantId: p.participantId });
    if (app.client) renderQualities(Object.fromEntries(app.client.connectionQuality));
    const forced = /^(\d{1,4})x(\d{1,4})$/.exec(params.get('tile') || '');
    if (forced) setTileSize(p.participantId, Number(forced[1]), Number(forced[2]));
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
  if (app.client) app.client.unobserveRenderSize(tile.querySelector('video'));
  tile.remove();
  record('tile-removed', { participantId });
  updateWaiting();
}

function updateBadges(el, audio, video) {
  el.querySelector('.mic-off').hidden = audio !== false;
  el.querySelector('.cam-off').hidden = video !== false;
}

const QUALITY_LABELS = { excellent: 'Excellent connection', good: 'Good connection', poor: 'Poor connection', lost: 'Connection lost' };

/** The server's connection quality per participant: a badge on each tile (ours on the local one). */
function renderQualities(qualities) {
  for (const [participantId, level] of Object.entries(qualities || {})) {
    const tile = participantId === document.body.dataset.participantId ? $('tile-local') : findTile(participantId);
    const badge = tile && tile.querySelector('.quality');
    if (!badge) continue;
    badge.hidden = false;
    badge.dataset.quality = level;
    badge.textContent = QUALITY_LABELS[level] || level;
    badge.title = QUALITY_LABELS[level] || level;
  }
}

function updateWaiting() {
  const none = tileIds().length === 0;
  $('waiting').hidden = !none;
  const c = app.client;
  if (none && c && c.role === 'doctor') {
    $('waiting').textContent = c.waitingList.length > 0
      ? 'Your patient is in the waiting room – admit them from the list.'
      : 'Waiting for your patient to arrive…';
  } else if (none && c && c.role === 'patient') {
    $('waiting').textContent = 'Waiting for your doctor…';
  }
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
  if (r.kind === 'video') {
    tile.classList.add('has-video');
    // Adaptive stream: the server sends the layer that fits this element (nothing while it is hidden).
    if (app.client && r.mid != null) app.client.observeRenderSize(r.mid, el);
    watchFrameGaps(el);
  }
  playMedia(el);
}

/**
 * Freeze diagnostics for the status report: every gap of 250 ms or more between two frames the
 * element presented (requestVideoFrameCallback), with when it ended; the last 50 are kept.
 */
function watchFrameGaps(el) {
  if (el._frameGaps || typeof el.requestVideoFrameCallback !== 'function') return;
  const gaps = { lastFrameAt: null, long: [] };
  el._frameGaps = gaps;
  const onFrame = (now) => {
    if (gaps.lastFrameAt != null && now - gaps.lastFrameAt >= 250) {
      gaps.long.push({ endedAt: Math.round(now), ms: Math.round(now - gaps.lastFrameAt) });
      if (gaps.long.length > 50) gaps.long.shift();
    }
    gaps.lastFrameAt = now;
    el.requestVideoFrameCallback(onFrame);
  };
  el.requestVideoFrameCallback(onFrame);
}

function detachRemote(r) {
  const tile = r.participantId ? findTile(r.participantId) : null;
  if (!tile) return;
  const el = tile.querySelector(r.kind === 'video' ? 'video' : 'audio');
  if (el.srcObject === r.stream) {
    el.srcObject = null;
    delete el.dataset.mid;
    if (r.kind === 'video') {
      tile.classList.remove('has-video');
      if (app.client) app.client.unobserveRenderSize(el);
    }
  }
}

function setButtons(client) {
  const mute = $('btn-mute');
  mute.textContent = client.audioEnabled ? 'Mute' : 'Unmute';
  mute.setAttribute('aria-pressed', String(!client.audioEnabled));
  mute.setAttribute('aria-label', client.audioEnabled ? 'Mute your microphone' : 'Unmute your microphone');
  const cam = $('btn-camera');
  cam.textContent = client.videoEnabled ? 'Camera off' : 'Camera on';
  cam.setAttribute('aria-pressed', String(!client.videoEnabled));
  cam.setAttribute('aria-label', client.videoEnabled ? 'Turn your camera off' : 'Turn your camera on');
  updateBadges($('tile-local'), client.audioEnabled, client.videoEnabled);
  updateBadges($('preview-tile'), client.audioEnabled, client.videoEnabled);
}

function describeConnection(client) {
  if (client.admission === 'waiting') return 'In the waiting room';
  if (client.reconnecting) return 'Connection interrupted – reconnecting…';
  const pub = client.publisherPc ? client.publisherPc.connectionState : 'new';
  if (pub === 'connected') {
    const n = client.participants.size;
    return n === 0 ? 'Connected – waiting for others' : `Connected – ${n + 1} in this visit`;
  }
  if (pub === 'failed') return 'Media connection failed';
  if (pub === 'disconnected') return 'Connection interrupted – reconnecting…';
  return 'Connecting media…';
}

function roomLabel(client) {
  const a = client.appointment;
  const start = a && parseTime(a.start);
  const end = a && parseTime(a.end);
  if (start && end) return `Visit ${when(start)}–${clock(end)}`;
  return `Visit ${client.room || ''}`.trim();
}

// ------------------------------------------------------------------ patient: waiting screen

let waitedTimer = null;

function showWaitingScreen(client) {
  show('waiting-screen');
  updateDoctorStatus(client);
  const since = new Date();
  const tick = () => { $('waited').textContent = `You have been waiting ${duration(since)}.`; };
  tick();
  clearInterval(waitedTimer);
  waitedTimer = setInterval(tick, 15000);
}

function updateDoctorStatus(client) {
  const present = !!client.roomState.doctorPresent;
  const el = $('doctor-status');
  el.dataset.doctorPresent = String(present);
  const start = client.appointment && parseTime(client.appointment.start);
  $('doctor-status-text').textContent = present
    ? 'Your doctor has joined and will let you in shortly.'
    : `Your doctor has not joined yet.${start ? ` Your appointment is at ${when(start)}.` : ''}`;
}

// ------------------------------------------------------------------ doctor: panel

function personLabel(name) {
  return name || 'Patient';
}

function renderWaitingList(client) {
  const list = $('waiting-list');
  const items = client.waitingList;
  const keep = new Set(items.map((w) => w.participantId));
  for (const li of [...list.children]) if (!keep.has(li.dataset.participantId)) li.remove();
  for (const w of items) {
    let li = list.querySelector(`[data-participant-id="${CSS.escape(w.participantId)}"]`);
    if (!li) {
      li = $('waiting-item-template').content.firstElementChild.cloneNode(true);
      li.id = `waiting-${w.participantId}`;
      li.dataset.participantId = w.participantId;
      const admit = li.querySelector('[data-action="admit"]');
      const deny = li.querySelector('[data-action="deny"]');
      admit.id = `btn-admit-${w.participantId}`;
      deny.id = `btn-deny-${w.participantId}`;
      admit.dataset.participantId = w.participantId;
      deny.dataset.participantId = w.participantId;
      admit.addEventListener('click', () => moderate(li, () => client.admit(w.participantId)));
      deny.addEventListener('click', () => moderate(li, () => client.deny(w.participantId)));
      list.appendChild(li);
    }
    const label = personLabel(w.name);
    li.querySelector('.name').textContent = label;
    li.querySelector('[data-action="admit"]').setAttribute('aria-label', `Admit ${label}`);
    li.querySelector('[data-action="deny"]').setAttribute('aria-label', `Deny ${label}`);
    li.dataset.since = w.since || '';
    // A re-sent list is the answer to our last action (or someone else's): buttons usable again.
    for (const b of li.querySelectorAll('button')) b.disabled = false;
  }
  updateSinceLabels();
  $('waiting-count').textContent = String(items.length);
  $('waiting-empty').hidden = items.length > 0;
  updateWaiting();
}

function updateSinceLabels() {
  for (const li of document.querySelectorAll('[data-testid="waiting-item"]')) {
    const since = parseTime(li.dataset.since);
    const t = li.querySelector('.since');
    if (since) {
      t.dateTime = since.toISOString();
      t.textContent = `waiting ${duration(since)}`;
      t.title = `Arrived at ${clock(since)}`;
    } else {
      t.textContent = '';
    }
  }
}

/** Disables an item's buttons while its action is under way (re-enabled by the next list/update or an error). */
function moderate(item, action) {
  for (const b of item.querySelectorAll('button')) b.disabled = true;
  if (!action()) for (const b of item.querySelectorAll('button')) b.disabled = false;
}

function renderParticipants(client) {
  if (client.role !== 'doctor') return;
  const list = $('participant-list');
  const ps = [...client.participants.values()];
  const keep = new Set(ps.map((p) => p.participantId));
  for (const li of [...list.children]) if (!keep.has(li.dataset.participantId)) li.remove();
  for (const p of ps) {
    let li = list.querySelector(`[data-participant-id="${CSS.escape(p.participantId)}"]`);
    const pid = p.participantId;
    if (!li) {
      li = $('participant-item-template').content.firstElementChild.cloneNode(true);
      li.id = `participant-${pid}`;
      li.dataset.participantId = pid;
      const [ma, mv, rm] = ['mute-audio', 'mute-video', 'remove'].map((a) => li.querySelector(`[data-action="${a}"]`));
      ma.id = `btn-mute-audio-${pid}`;
      mv.id = `btn-mute-video-${pid}`;
      rm.id = `btn-remove-${pid}`;
      for (const b of [ma, mv, rm]) b.dataset.participantId = pid;
      ma.addEventListener('click', () => { ma.disabled = true; if (!client.mute(pid, { audio: true })) ma.disabled = false; });
      mv.addEventListener('click', () => { mv.disabled = true; if (!client.mute(pid, { video: true })) mv.disabled = false; });
      rm.addEventListener('click', () => {
        const cur = client.participants.get(pid);
        const label = personLabel(cur && cur.name);
        confirmAction('remove', `Remove ${label} from the visit?`,
          `${label} is disconnected and cannot rejoin this visit with their link.`, 'Remove', () => client.remove(pid));
      });
      list.appendChild(li);
    }
    const label = personLabel(p.name);
    li.querySelector('.name').textContent = label;
    updateBadges(li, p.audio, p.video);
    const ma = li.querySelector('[data-action="mute-audio"]');
    const mv = li.querySelector('[data-action="mute-video"]');
    // The doctor can mute but never unmute someone: only the participant turns their own mic back on.
    ma.disabled = p.audio === false;
    ma.textContent = p.audio === false ? 'Audio muted' : 'Mute audio';
    ma.setAttribute('aria-label', p.audio === false ? `${label}'s audio is muted` : `Mute ${label}'s audio`);
    mv.disabled = p.video === false;
    mv.textContent = p.video === false ? 'Video off' : 'Mute video';
    mv.setAttribute('aria-label', p.video === false ? `${label}'s video is off` : `Mute ${label}'s video`);
    li.querySelector('[data-action="remove"]').setAttribute('aria-label', `Remove ${label} from the visit`);
    li.dataset.audio = String(p.audio !== false);
    li.dataset.video = String(p.video !== false);
  }
  $('participants-empty').hidden = ps.length > 0;
}

function renderRoomState(client) {
  const s = client.roomState;
  const lock = $('btn-lock');
  lock.setAttribute('aria-pressed', String(!!s.locked));
  lock.textContent = s.locked ? 'Room locked' : 'Lock room';
  lock.disabled = false;
  const auto = $('btn-auto-admit');
  auto.setAttribute('aria-pressed', String(!!s.autoAdmit));
  auto.textContent = s.autoAdmit ? 'Auto-admit: on' : 'Auto-admit: off';
  auto.disabled = false;
  document.body.dataset.locked = String(!!s.locked);
  document.body.dataset.autoAdmit = String(!!s.autoAdmit);
}

let confirmHandler = null;

function confirmAction(action, title, text, okLabel, onOk) {
  const dlg = $('confirm-dialog');
  dlg.dataset.action = action;
  $('confirm-title').textContent = title;
  $('confirm-text').textContent = text;
  $('btn-confirm-ok').textContent = okLabel;
  confirmHandler = onOk;
  if (typeof dlg.showModal === 'function') {
    dlg.showModal();
  } else if (window.confirm(title)) { // very old browsers without <dialog>
    onOk();
  }
}

$('btn-confirm-cancel').addEventListener('click', () => {
  confirmHandler = null;
  $('confirm-dialog').close('cancel');
});
$('btn-confirm-ok').addEventListener('click', () => {
  const h = confirmHandler;
  confirmHandler = null;
  $('confirm-dialog').close('ok');
  if (h) h();
});
$('confirm-dialog').addEventListener('close', () => { confirmHandler = null; });

function setupDoctor(client) {
  $('doctor-panel').hidden = false;
  $('btn-lock').onclick = () => { $('btn-lock').disabled = true; if (!client.lock(!client.roomState.locked)) renderRoomState(client); };
  $('btn-auto-admit').onclick = () => {
    $('btn-auto-admit').disabled = true;
    if (!client.setAutoAdmit(!client.roomState.autoAdmit)) renderRoomState(client);
  };
  $('btn-end-visit').onclick = () => confirmAction('end-visit', 'End the visit for everyone?',
    'Everyone in the call and in the waiting room is disconnected. The visit cannot be resumed with the same links.',
    'End visit', () => client.endVisit());
  $('btn-record').hidden = false;
  $('btn-record').title = $('record-hint').textContent.replace(/\s+/g, ' ').trim();
  $('btn-record').onclick = () => {
    const r = client.recording;
    const active = !!r && r.state !== 'stopped';
    $('btn-record').disabled = true;
    const sent = active ? client.stopRecording() : client.requestRecording();
    if (!sent) renderRecording(client);
  };
  renderRoomState(client);
  renderRecording(client);
  renderWaitingList(client);
  renderParticipants(client);
  setInterval(updateSinceLabels, 15000);
}

// ------------------------------------------------------------------ recording (consent first)

/** How to name a participant in recording messages. */
function personName(client, pid) {
  if (!pid || pid === 'api') return 'the clinic';
  if (pid === client.participantId) return 'you';
  const p = client.participants.get(pid);
  return (p && p.name) || 'a participant';
}

function names(client, ids) {
  return ids.map((id) => personName(client, id)).join(', ');
}

function recordingText(client, r) {
  const waiting = r.waitingFor.length > 0 ? ` (waiting for ${names(client, r.waitingFor)})` : '';
  switch (r.state) {
    case 'requested':
      return `Recording requested by ${personName(client, r.requestedBy)} – nothing is recorded until everyone agrees${waiting}.`;
    case 'recording': return 'Recording – everyone in the call agreed.';
    case 'paused': return `Recording paused – nothing is recorded until everyone agrees${waiting}.`;
    case 'stopped':
      switch (r.reason) {
        case 'consent_refused': return `Recording cancelled: ${personName(client, r.by)} did not agree. Nothing was recorded.`;
        case 'consent_withdrawn': return `Recording stopped: ${personName(client, r.by)} withdrew consent.`;
        case 'failed': return 'Recording stopped because of a problem on the server. What was recorded until then is kept.';
        case 'ended': return 'Recording stopped: the visit ended.';
        default: return `Recording stopped${r.by ? ` by ${personName(client, r.by)}` : ''}.`;
      }
    default: return '';
  }
}

let recordingDismissed = null;

function renderRecording(client) {
  const r = client.recording;
  const ind = $('recording-indicator');
  ind.dataset.state = r ? r.state : 'none';
  ind.dataset.reason = (r && r.reason) || '';
  ind.dataset.by = (r && r.by) || '';
  ind.dataset.recordingId = (r && r.recordingId) || '';
  document.body.dataset.recording = r ? r.state : 'none';
  const active = !!r && r.state !== 'stopped';
  $('recording-text').textContent = r ? recordingText(client, r) : '';
  $('recording-banner').hidden = !r || (r.state === 'stopped' && recordingDismissed === r.recordingId);
  const canWithdraw = active && r.consent === true;
  $('btn-withdraw-consent').hidden = !canWithdraw;
  $('withdraw-hint').hidden = !canWithdraw;
  $('recording-dismiss').hidden = active;
  const rec = $('btn-record');
  rec.dataset.recording = r ? r.state : 'none';
  rec.textContent = active ? 'Stop recording' : 'Record';
  rec.setAttribute('aria-pressed', String(active));
  rec.setAttribute('aria-label', active ? 'Stop recording this visit' : 'Ask everyone to consent to recording this visit');
  rec.disabled = false;
}

function openConsentDialog(client, d) {
  const dlg = $('consent-dialog');
  dlg.dataset.recordingId = d.recordingId;
  const who = personName(client, d.requestedBy);
  $('consent-who').textContent = who === 'the clinic' ? 'Your clinic would like to record this video visit.'
    : who === 'you' ? 'You asked to record this video visit. Everyone in the call, you too, must agree first.'
      : `${who} would like to record this video visit.`;
  for (const b of [$('btn-consent-yes'), $('btn-consent-no')]) b.disabled = false;
  if (!dlg.open) {
    if (typeof dlg.showModal === 'function') dlg.showModal();
    else client.consentToRecording(d.recordingId, window.confirm('May this visit be recorded?'));
  }
  record('consent-dialog-shown', { recordingId: d.recordingId });
}

function closeConsentDialog(why) {
  const dlg = $('consent-dialog');
  if (dlg.open) dlg.close(why);
}

function answerConsent(yes) {
  const dlg = $('consent-dialog');
  const id = dlg.dataset.recordingId;
  if (!id || !app.client) return;
  for (const b of [$('btn-consent-yes'), $('btn-consent-no')]) b.disabled = true;
  app.client.consentToRecording(id, yes);
  record('consent-answered', { recordingId: id, consent: yes });
  dlg.close(yes ? 'yes' : 'no');
  renderRecording(app.client);
}

$('btn-consent-yes').addEventListener('click', () => answerConsent(true));
$('btn-consent-no').addEventListener('click', () => answerConsent(false));
// Escape means "no": nothing is ever recorded without an explicit yes.
$('consent-dialog').addEventListener('cancel', (ev) => { ev.preventDefault(); answerConsent(false); });
$('btn-withdraw-consent').addEventListener('click', () => {
  const c = app.client;
  if (!c || !c.recording) return;
  $('btn-withdraw-consent').disabled = true;
  c.consentToRecording(c.recording.recordingId, false);
  record('consent-withdrawn', { recordingId: c.recording.recordingId });
  $('btn-withdraw-consent').disabled = false;
});
$('recording-dismiss').addEventListener('click', () => {
  const c = app.client;
  recordingDismissed = c && c.recording ? c.recording.recordingId : null;
  $('recording-banner').hidden = true;
});

// ------------------------------------------------------------------ ending soon

let endingTimer = null;

function showEndingSoon(closesAt) {
  const at = parseTime(closesAt);
  const tick = () => {
    const left = at ? Math.max(0, Math.ceil((at.getTime() - Date.now()) / 60000)) : null;
    $('ending-soon-text').textContent = at
      ? `This visit closes at ${clock(at)} (in ${left} min).`
      : 'This visit closes in a few minutes.';
  };
  tick();
  $('ending-soon').hidden = false;
  clearInterval(endingTimer);
  endingTimer = setInterval(tick, 15000);
}

// ------------------------------------------------------------------ start a call

async function startCall({ room, name, token }) {
  // A patient's link opens on the calm waiting screen right away (the token's role is only a hint
  // for the first view; the server's `joined` decides).
  const hintedRole = token ? tokenClaim(token, 'role') : null;
  show(hintedRole === 'patient' ? 'waiting-screen' : 'call');
  if (room) {
    $('room-label').hidden = false;
    $('room-label').textContent = `Visit ${room}`;
  }
  $('local-name').textContent = name ? `${name} (you)` : 'You';
  $('preview-name').textContent = name ? `${name} (you)` : 'You';
  setStatus('Starting camera…');

  // Simulcast is the default; ?simulcast=0 publishes one stream (e.g. to compare).
  const simulcast = params.get('simulcast') !== '0' && params.get('simulcast') !== 'false';
  const opts = { ...(token ? { token, ...(room ? { room } : {}) } : { room, name }), simulcast };
  if (params.get('video') === '0') opts.video = false;
  const client = new MediBridgeClient(opts);
  app.client = client;
  window.mediBridge = client;

  // Mirror every client event into the page's event list (JSON-safe summary).
  const types = ['local-stream', 'joined', 'participant-joined', 'participant-left', 'participant-updated',
    'track-published', 'track-unpublished', 'remote-track', 'remote-track-ended', 'subscriber-offer-applied',
    'first-frame', 'connection-state', 'ice-connection-state', 'media-state', 'state', 'error', 'closed',
    'waiting', 'admitted', 'admission', 'waiting-list', 'room-state', 'muted', 'ending-soon',
    'recording-consent-request', 'recording-state', 'render-size', 'connection-quality', 'reconnecting', 'reconnected'];
  for (const t of types) {
    client.addEventListener(t, (ev) => record(t, lastSummary(client, t, ev.detail)));
  }

  client.addEventListener('state', (ev) => { document.body.dataset.state = ev.detail.state; });
  client.addEventListener('local-stream', (ev) => {
    for (const id of ['local-video', 'preview-video']) {
      const v = $(id);
      v.srcObject = ev.detail.stream;
      playMedia(v);
    }
    setStatus('Connecting…');
  });
  client.addEventListener('joined', (ev) => {
    const d = ev.detail;
    try { sessionStorage.removeItem(AUTO_REJOIN_KEY); } catch (e) { /* ignore */ }
    document.body.dataset.participantId = d.participantId;
    document.body.dataset.role = d.role || '';
    $('tile-local').dataset.participantId = d.participantId;
    const you = d.name ? `${d.name} (you)` : 'You';
    $('local-name').textContent = you;
    $('preview-name').textContent = you;
    $('room-label').hidden = false;
    $('room-label').textContent = roomLabel(client);
    if (d.role === 'doctor') setupDoctor(client);
    if (d.admission === 'waiting') showWaitingScreen(client);
    else show('call');
    setStatus(describeConnection(client));
    updateWaiting();
  });
  client.addEventListener('admission', (ev) => {
    document.body.dataset.admission = ev.detail.admission;
  });
  client.addEventListener('waiting', () => {
    if (currentView !== 'waiting-screen') showWaitingScreen(client);
    updateDoctorStatus(client);
    setStatus(describeConnection(client));
  });
  client.addEventListener('admitted', () => {
    clearInterval(waitedTimer);
    show('call');
    setStatus('You are now in the call');
    updateWaiting();
  });
  client.addEventListener('waiting-list', () => renderWaitingList(client));
  client.addEventListener('room-state', () => {
    if (client.role === 'doctor') renderRoomState(client);
    if (client.admission === 'waiting') updateDoctorStatus(client);
  });
  client.addEventListener('muted', (ev) => {
    const ch = ev.detail.changed || ev.detail;
    const what = [ch.audio && 'microphone', ch.video && 'camera'].filter(Boolean).join(' and ');
    if (what) {
      showNotice(`The doctor turned off your ${what}. You can turn it back on when you are ready.`);
      $('notice').dataset.kind = 'muted';
    }
  });
  client.addEventListener('ending-soon', (ev) => showEndingSoon(ev.detail.closesAt));
  client.addEventListener('recording-consent-request', (ev) => {
    recordingDismissed = null;
    renderRecording(client);
    openConsentDialog(client, ev.detail);
  });
  client.addEventListener('recording-state', (ev) => {
    const d = ev.detail;
    if (d.state === 'stopped' && $('consent-dialog').dataset.recordingId === d.recordingId) closeConsentDialog('stopped');
    if (d.state !== 'stopped') recordingDismissed = null;
    renderRecording(client);
  });
  client.addEventListener('participant-joined', (ev) => {
    ensureTile(ev.detail.participant);
    renderParticipants(client);
    setStatus(describeConnection(client));
  });
  client.addEventListener('participant-left', (ev) => {
    removeTile(ev.detail.participantId);
    renderParticipants(client);
    setStatus(describeConnection(client));
  });
  client.addEventListener('participant-updated', (ev) => {
    const tile = findTile(ev.detail.participantId);
    if (tile) updateBadges(tile, ev.detail.audio, ev.detail.video);
    renderParticipants(client);
  });
  client.addEventListener('connection-quality', (ev) => renderQualities(ev.detail.qualities));
  client.addEventListener('remote-track', (ev) => attachRemote(ev.detail));
  client.addEventListener('remote-track-ended', (ev) => detachRemote(ev.detail));
  client.addEventListener('connection-state', () => setStatus(describeConnection(client)));
  client.addEventListener('reconnecting', () => setStatus(describeConnection(client)));
  client.addEventListener('reconnected', () => setStatus(describeConnection(client)));
  client.addEventListener('media-state', () => {
    setButtons(client);
    // The "doctor muted you" notice goes once the participant turned back on what was muted.
    const m = client.mutedBy;
    const stillMuted = m && ((m.audio && !client.audioEnabled) || (m.video && !client.videoEnabled));
    if ($('notice').dataset.kind === 'muted' && !stillMuted) {
      $('notice').hidden = true;
      delete $('notice').dataset.kind;
    }
  });
  client.addEventListener('error', (ev) => {
    const d = ev.detail;
    const refusedJoin = d.fatal && client.state !== 'joined' && d.requestType !== 'offer';
    // A refused join of a visit link gets its own explanation screen (see `closed`); no red alert on top.
    if (!(refusedJoin && JOIN_SCREEN_CODES.test(d.code || ''))) showError(d.message || d.code);
    if (String(d.requestType || '').startsWith('recording')) renderRecording(client);
    if (client.role === 'doctor') { // a refused moderation action: make its buttons usable again
      renderWaitingList(client);
      renderParticipants(client);
      renderRoomState(client);
    }
  });
  client.addEventListener('closed', (ev) => {
    const d = ev.detail;
    clearInterval(waitedTimer);
    clearInterval(endingTimer);
    $('ending-soon').hidden = true;
    const dlg = $('confirm-dialog');
    if (dlg.open) dlg.close('closed');
    closeConsentDialog('closed');
    $('recording-banner').hidden = true;
    for (const id of tileIds()) removeTile(id);
    $('local-video').srcObject = null;
    $('preview-video').srcObject = null;
    let title;
    let text;
    let canRejoin;
    if (d.reason === 'join_failed') {
      [title, text] = joinErrorText(d);
      canRejoin = !FINAL_JOIN_CODES.includes(d.code);
      document.body.dataset.errorCode = d.code || '';
      $('rejoin').textContent = 'Try again';
    } else {
      [title, text] = closedText(d, client.role);
      canRejoin = !FINAL_CLOSE_REASONS.includes(d.reason);
      $('rejoin').textContent = d.reason === 'joined_elsewhere' ? 'Use this window instead' : 'Rejoin';
    }
    document.body.dataset.closedReason = d.reason || '';
    $('left').dataset.reason = d.reason || '';
    if (d.code) $('left').dataset.code = d.code;
    $('left-title').textContent = title;
    $('left-text').textContent = text;
    $('rejoin').hidden = !canRejoin;
    show('left');
    $('left-title').focus();
    setStatus('Not connected');
    if (d.reason === 'disconnected') scheduleAutoRejoin();
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

// A lost connection (a phone changing networks, a laptop waking up) rejoins by itself after a
// few seconds, like pressing Rejoin: the same link, so the same person, and a patient the doctor
// had admitted comes straight back into the call. At most AUTO_REJOIN_MAX times in a row without
// a successful join in between, so a server that is really gone is not hammered.
const AUTO_REJOIN_DELAY_MS = 3000;
const AUTO_REJOIN_MAX = 5;
const AUTO_REJOIN_KEY = 'medibridge-auto-rejoins';

function scheduleAutoRejoin() {
  let tries = 0;
  try {
    tries = Number(sessionStorage.getItem(AUTO_REJOIN_KEY) || 0);
  } catch (e) {
    return; // no storage: leave it to the Rejoin button
  }
  if (tries >= AUTO_REJOIN_MAX) return;
  record('auto-rejoin', { attempt: tries + 1, inMs: AUTO_REJOIN_DELAY_MS });
  $('left-text').textContent += ` Reconnecting in ${Math.round(AUTO_REJOIN_DELAY_MS / 1000)} s…`;
  setTimeout(() => {
    try { sessionStorage.setItem(AUTO_REJOIN_KEY, String(tries + 1)); } catch (e) { /* ignore */ }
    location.reload();
  }, AUTO_REJOIN_DELAY_MS);
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
/** The freeze diagnostics of the remote video element showing subscriber mid {@code mid} (see watchFrameGaps). */
function frameGapsOf(mid) {
  if (mid == null) return {};
  const el = document.querySelector(`video[data-mid="${CSS.escape(String(mid))}"]`);
  const g = el && el._frameGaps;
  if (!g) return {};
  return {
    longFrameGaps: g.long.slice(),
    msSinceLastFrame: g.lastFrameAt == null ? null : Math.round(performance.now() - g.lastFrameAt),
  };
}

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
        freezeCount: s.freezeCount ?? null, totalFreezesDuration: s.totalFreezesDuration ?? null,
        nackCount: s.nackCount ?? null, retransmittedPacketsReceived: s.retransmittedPacketsReceived ?? null,
        keyFramesDecoded: s.keyFramesDecoded ?? null,
        ...frameGapsOf(s.kind === 'video' ? s.mid : null),
      });
    }
  }
  if (c.publisherPc) {
    for (const s of (await c.publisherPc.getStats()).values()) {
      if (s.type !== 'outbound-rtp') continue;
      out.outbound.push({
        kind: s.kind, mid: s.mid ?? null, bytesSent: s.bytesSent || 0, packetsSent: s.packetsSent || 0,
        framesEncoded: s.framesEncoded ?? null, frameWidth: s.frameWidth ?? null, frameHeight: s.frameHeight ?? null,
        nackCount: s.nackCount ?? null, retransmittedPacketsSent: s.retransmittedPacketsSent ?? null,
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

const token = (params.get('token') || '').trim();
const room = (params.get('room') || '').trim();
const name = (params.get('name') || '').trim();
if (params.get('report')) startReporting(params.get('report'));
if (token) {
  // An appointment link: room, name and role come from the token (checked by the server).
  if (room && !ROOM_RE.test(room)) showError('The visit code in the link is not valid.');
  startCall({ token, room: ROOM_RE.test(room) ? room : undefined });
} else if (ROOM_RE.test(room) && name && name.length <= 64) {
  startCall({ room, name });
} else {
  if (room && !ROOM_RE.test(room)) showError('The visit code in the link is not valid.');
  showLobby();
}
