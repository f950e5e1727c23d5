// MediBridge browser client (protocol v1, see docs/protocol.md).
//
// Standards-only: unified plan, addTransceiver with streams, no SDP munging, no
// browser-specific code paths, so it runs in Chromium, Firefox and Safari alike.
//
//   import { MediBridgeClient } from './medibridge.js';
//   const client = new MediBridgeClient({ room: 'visit-42', name: 'Dr. Grey' });   // open (--dev) room
//   const client = new MediBridgeClient({ token: params.get('token') });          // appointment link
//   client.addEventListener('remote-track', (e) => attach(e.detail));
//   await client.join();
//
// With a token the server takes room, participant id, name and role from the token; a patient may
// be put in the waiting room first (`admission === 'waiting'`): the publisher is negotiated as
// usual (the server forwards nothing until admission) and the subscriber connection only ever
// comes from a server offer, which the server does not send before `admitted`.
//
// Doctor actions (send a message; refusals come back as `error` events, e.g. `forbidden`):
//   admit(pid), deny(pid), remove(pid), mute(pid, {audio, video}), lock(bool), setAutoAdmit(bool), endVisit(),
//   requestRecording(), stopRecording()
//
// Adaptive quality (docs/protocol.md, `render-size`):
//   new MediBridgeClient({..., simulcast: false}) – publish the camera as one stream instead of the default 3
//     rid layers q/h/f (¼, ½, full
//     size; lowest first, the server relies on that order).
//   observeRenderSize(mid, videoElement)          – report the size (device pixels) and visibility at which
//     this remote video is shown; the server sends the smallest layer that covers it, nothing when hidden.
//     The app calls it for every remote video element it attaches (keyed by the subscriber mid).
//   unobserveRenderSize(midOrElement)
//   client.renderSize: the `tracks` map of the last `render-size` sent ({mid: {width, height, visible}})
//   Reports are debounced (200 ms), sent only when something changed (max 10/s), and repeated whenever a
//   remote video track appears, after each subscriber answer and when the subscriber connection connects.
//   A server without `render-size` support (unknown_type) is left alone (logged, no `error` event).
//
// Recording (docs/protocol.md, "Recording"): nothing is recorded unless everyone in the call said yes.
//   consentToRecording(recordingId, true|false)   – anyone: answer a consent request, or withdraw (false)
//   client.recording: null or {recordingId, state, reason, by, waitingFor, requestedBy, consent}
//     (consent = our own answer to this recording: null (not asked / not answered), true, false)
//
// Events (all CustomEvent, payload in `event.detail`):
//   local-stream        {stream}
//   joined              {participantId, room, name, role, admission: 'waiting'|'admitted',
//                        appointment, roomState, participants: Participant[]}
//   waiting             {doctorPresent}                  – we wait to be admitted (patient)
//   admitted            {participants: Participant[]}    – the doctor let us in
//   admission           {admission: 'waiting'|'admitted'}
//   waiting-list        {waiting: [{participantId, name, since}]}   – doctor only
//   room-state          {locked, autoAdmit, doctorPresent}
//   muted               {audio, video, by, changed: {audio, video}} – the doctor muted us (already applied
//                        to our tracks; audio/video = what is muted now, changed = newly muted by this message)
//   ending-soon         {closesAt}
//   recording-consent-request {recordingId, requestedBy} – show a consent dialog and answer with consentToRecording
//   recording-state     {recordingId, state: requested|recording|paused|stopped, reason, by, waitingFor, requestedBy}
//   participant-joined  {participant}
//   participant-left    {participantId, reason, participant}
//   participant-updated {participantId, audio, video, participant}
//   track-published     {participantId, trackId, kind}
//   track-unpublished   {participantId, trackId, kind}
//   remote-track        RemoteTrack  (see _remoteTrackInfo) – a new remote track arrived
//   remote-track-ended  RemoteTrack  (with `endReason`) – a remote track stopped
//   subscriber-offer-applied {offerNumber, mids, appliedAt, answeredAt}
//   first-frame         RemoteTrack  (video; `firstFrameAt`, `firstFrameDelayMs`)
//   render-size         {tracks: {mid: {width, height, visible}}} – a render-size report was sent
//   connection-state    {pc: 'publisher'|'subscriber', state}
//   ice-connection-state{pc, state}
//   reconnecting        {pc, attempt}    – the connection's path died; ICE is being restarted
//   reconnected         {pc, attempts, ms} – media flows again after `reconnecting`
//   media-state         {audio, video}   – our own state changed
//   state               {state}          – client lifecycle: idle|connecting|joined|closed
//   error               {code, message, requestType, fatal}
//   closed              {reason, message, code?}
//        reason: left | disconnected | join_failed (code = the error code, e.g. token_expired, and
//        validFrom for token_not_yet_valid) | denied | removed | ended | appointment_over |
//        joined_elsewhere | ice_failed | … (whatever the server sends)

/** Reasons of `closed` after which rejoining with the same link makes no sense. */
export const FINAL_CLOSE_REASONS = Object.freeze(['denied', 'removed', 'ended', 'appointment_over']);

const PC_CONFIG = Object.freeze({
  bundlePolicy: 'max-bundle',
  rtcpMuxPolicy: 'require',
  iceServers: [],
});

const DEFAULT_VIDEO = Object.freeze({
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 30 },
});

/**
 * Simulcast layers of the camera, lowest first (the server relies on this order): q = ¼, h = ½,
 * f = full size (180p / 360p / 720p of a 1280×720 camera).
 */
export const SIMULCAST_ENCODINGS = Object.freeze([
  Object.freeze({ rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 200_000 }),
  Object.freeze({ rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 600_000 }),
  Object.freeze({ rid: 'f', maxBitrate: 1_800_000 }),
]);

/** render-size reporting: debounce after a change, and the minimum gap between two reports (max 10/s). */
// ICE restart (RFC 8445 §9) when a connection's media path dies while signaling stays up: UDP
// blocked or lost for a while, a NAT binding that expired, a path the browser can no longer use.
// Without it, an outage longer than the browser's ICE timeouts (~15 s in Chromium) ends in
// 'failed' for good. 'disconnected' may heal by itself, so it gets a grace period first; 'failed'
// restarts at once. An attempt that has not reconnected after ICE_RESTART_INTERVAL_MS is followed
// by another; after ICE_RECOVERY_GIVE_UP_MS (the server ends a silent participant at 30 s) the
// page shows that the connection failed. The interval stays under Firefox's 5 s trickle grace
// period: when an attempt's checks fail at once (sendto errors while the network is gone) and
// that period ends before the next attempt starts, Firefox fails the stream and its DTLS
// transport stays in error for good (seen in its MOZ_LOG; with 5 s, 4 of 6 test runs lost media,
// with 4 s none of 3).
const ICE_DISCONNECTED_GRACE_MS = 2000;
const ICE_RESTART_INTERVAL_MS = 4000;
const ICE_RECOVERY_GIVE_UP_MS = 30000;
const RENDER_SIZE_DEBOUNCE_MS = 200;
const RENDER_SIZE_MIN_INTERVAL_MS = 100;
/** Delay of the report sent when a remote video track appears (lets the app attach its element first). */
const RENDER_SIZE_NEW_TRACK_MS = 50;

const DEFAULT_AUDIO = Object.freeze({
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
});

/** Default WebSocket URL: same host as the page, `/ws`, wss on https. */
export function defaultSignalingUrl(loc = globalThis.location) {
  const proto = loc && loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${loc ? loc.host : 'localhost:8080'}/ws`;
}

/** Thrown / emitted for protocol and media errors. */
export class MediBridgeError extends Error {
  constructor(code, message, extra = {}) {
    super(message || code);
    this.name = 'MediBridgeError';
    this.code = code;
    Object.assign(this, extra);
  }
}

export class MediBridgeClient extends EventTarget {
  /**
   * @param {object} opts
   * @param {string} [opts.room]       room id, [A-Za-z0-9_.-]{1,64} (required without a token)
   * @param {string} [opts.name]       display name, 1–64 characters (required without a token)
   * @param {string} [opts.token]      join token of an appointment link; the server takes room, name
   *                                   and role from it (a `room` given too must match it)
   * @param {string} [opts.url]        signaling URL (default ws(s)://<page host>/ws)
   * @param {MediaTrackConstraints|boolean} [opts.video] camera constraints (false = no camera)
   * @param {MediaTrackConstraints|boolean} [opts.audio] microphone constraints (false = no mic)
   * @param {MediaStream} [opts.localStream] use this stream instead of getUserMedia
   * @param {RTCIceServer[]} [opts.iceServers] usually not needed (the server is ICE-lite-like)
   * @param {boolean} [opts.measureFirstFrame=true] poll getStats (50 ms) per new remote video
   *        track until its first frame is decoded, to report time-to-first-frame
   * @param {number} [opts.pingIntervalMs=5000] keep-alive ping interval (0 = off)
   * @param {number} [opts.serverSilenceMs=12000] with pings on: no message from the server for this
   *   long means the connection is dead (a network change leaves the TCP connection silently
   *   broken; the browser would notice only minutes later), and the client closes as `disconnected`
   * @param {boolean} [opts.simulcast=true] publish the camera as 3 simulcast layers (rids q, h, f;
   *        see SIMULCAST_ENCODINGS) so the server can send each subscriber the size it needs
   */
  constructor(opts = {}) {
    super();
    if (!opts.token && !opts.room) throw new MediBridgeError('bad_request', 'room is required');
    if (!opts.token && !opts.name) throw new MediBridgeError('bad_request', 'name is required');
    this.room = opts.room ? String(opts.room) : null;
    this.name = opts.name ? String(opts.name) : tokenClaim(opts.token, 'name') || '';
    // Not enumerable: keeps the token out of JSON.stringify / snapshots / reports.
    Object.defineProperty(this, 'token', { value: opts.token || undefined, enumerable: false, writable: true });
    this._roomGiven = !!opts.room;
    this.url = opts.url || defaultSignalingUrl();
    this.videoConstraints = opts.video === undefined ? DEFAULT_VIDEO : opts.video;
    this.audioConstraints = opts.audio === undefined ? DEFAULT_AUDIO : opts.audio;
    this.pcConfig = { ...PC_CONFIG, iceServers: opts.iceServers || [] };
    this.measureFirstFrame = opts.measureFirstFrame !== false;
    this.pingIntervalMs = opts.pingIntervalMs ?? 5000;
    this.serverSilenceMs = opts.serverSilenceMs ?? 12000;
    this._lastServerMessageAt = 0;
    this.simulcast = opts.simulcast !== false;
    this._providedStream = opts.localStream || null;

    /** lifecycle: idle | connecting | joined | closed */
    this.state = 'idle';
    this.participantId = null;
    /** @type {Map<string, object>} participantId -> {participantId, name, audio, video, tracks} */
    this.participants = new Map();
    /** participantId → connection quality level, from the server (see _onConnectionQuality). */
    this.connectionQuality = new Map();
    /** @type {Map<string, object>} mid -> RemoteTrack info (also ended ones, until leave) */
    this.remoteTracks = new Map();
    /** the latest `tracks` map of the server's subscriber offer (mid -> {participantId, trackId, kind}) */
    this.subscriberTracks = {};
    this.localStream = null;
    this.publisherPc = null;
    this.subscriberPc = null;
    this.audioEnabled = true;
    this.videoEnabled = true;
    /** 'doctor' | 'patient' | 'guest' (open rooms) | null before `joined` */
    this.role = null;
    /** 'waiting' | 'admitted' | null before `joined` */
    this.admission = null;
    /** {id, start, end, closesAt} of an appointment room, else null */
    this.appointment = null;
    /** {locked, autoAdmit, doctorPresent} */
    this.roomState = { locked: false, autoAdmit: false, doctorPresent: false };
    /** doctor: who waits, [{participantId, name, since}] */
    this.waitingList = [];
    /** what the doctor muted last (until we unmute ourselves): {audio, video, by} */
    this.mutedBy = null;
    /** ISO time when the room closes, once `ending-soon` arrived */
    this.endingSoon = null;
    /** the latest recording of this visit we heard of (see `recording-state`), else null */
    this.recording = null;
    /** event log for diagnostics and tests: [{type, at (performance.now()), detail}] */
    this.eventLog = [];
    /** timings in performance.now() milliseconds */
    this.timings = {
      created: now(),
      wsOpen: null,
      joined: null,
      publisherAnswered: null,
      subscriberOffers: [], // [{offerNumber, receivedAt, appliedAt, answeredAt, mids}]
    };

    this._ws = null;
    this._queue = Promise.resolve(); // serialises handling of server messages
    this._joinWaiter = null;
    this._pendingCandidates = { publisher: [], subscriber: [] };
    this._localDescriptionSent = { publisher: false, subscriber: false };
    this._endOfCandidatesSent = { publisher: false, subscriber: false };
    this._subscriberOfferCount = 0;
    this._pingTimer = null;
    this._firstFramePollers = new Set();
    /** per connection: {timer, attempts, since} while recovering its ICE path, see _onPathState */
    this._recovery = { publisher: null, subscriber: null };
    this._closing = false;
    /** the `tracks` map of the last render-size report sent, else null */
    this.renderSize = null;
    this._rs = {
      entries: new Map(), // mid -> {mid, el, intersecting: boolean|null}
      byElement: new WeakMap(), // element -> entry
      resizeObserver: null,
      intersectionObserver: null,
      listening: false,
      timer: null,
      due: 0,
      force: false,
      lastKey: null,
      lastSentAt: -Infinity,
      sent: 0,
      unsupported: false,
    };
    this._onRenderContextChange = () => this._scheduleRenderSize();
  }

  // ---------------------------------------------------------------- public API

  /**
   * Acquires camera and microphone, connects, joins the room and starts publishing.
   * Resolves with the `joined` message once the server admitted us; rejects on failure.
   */
  async join() {
    if (this.state !== 'idle') throw new MediBridgeError('already_joined', 'join() was already called');
    this._setState('connecting');
    try {
      this.localStream = this._providedStream || (await this._getUserMedia());
      this._emit('local-stream', { stream: this.localStream });
      await this._openSocket();
      const joined = await new Promise((resolve, reject) => {
        this._joinWaiter = { resolve, reject };
        let msg;
        if (this.token) {
          // Room, name and role come from the token; the server never trusts ours.
          msg = { type: 'join', token: this.token };
          if (this._roomGiven) msg.room = this.room;
        } else {
          msg = { type: 'join', room: this.room, name: this.name };
        }
        this._send(msg);
      });
      return joined;
    } catch (err) {
      const e = err instanceof MediBridgeError ? err : toMediaError(err);
      const extra = { fatal: true };
      if (e.code === 'token_not_yet_valid' && !e.validFrom) {
        // The server's message says when; the token's own not-before is a fallback for the UI.
        const nbf = tokenClaim(this.token, 'nbf');
        if (typeof nbf === 'number') e.validFrom = new Date(nbf * 1000).toISOString();
      }
      if (e.validFrom) extra.validFrom = e.validFrom;
      this._emitError(e.code, e.message, extra);
      this._teardown('join_failed', e.message, { code: e.code, ...(e.validFrom ? { validFrom: e.validFrom } : {}) });
      throw e;
    }
  }

  // ---------------------------------------------------------------- doctor actions
  // Each sends one message and returns whether it could be sent. The server enforces who may do
  // what: anyone but the doctor gets an `error` event with code `forbidden`.

  /** Lets a waiting patient into the call. */
  admit(participantId) {
    return this._moderate({ type: 'admit', participantId: requireId(participantId) });
  }

  /** Sends a waiting patient away (they get `closed`, reason `denied`). */
  deny(participantId) {
    return this._moderate({ type: 'deny', participantId: requireId(participantId) });
  }

  /** Removes a participant; their link cannot rejoin this appointment. */
  remove(participantId) {
    return this._moderate({ type: 'remove', participantId: requireId(participantId) });
  }

  /**
   * Stops the server forwarding a participant's audio and/or video: `mute(pid, {audio: true})`.
   * Only the kinds given as `true` are muted; the participant may unmute themselves.
   */
  mute(participantId, { audio, video } = {}) {
    const msg = { type: 'mute', participantId: requireId(participantId) };
    if (typeof audio === 'boolean') msg.audio = audio;
    if (typeof video === 'boolean') msg.video = video;
    if (msg.audio === undefined && msg.video === undefined) {
      throw new MediBridgeError('bad_request', 'mute() needs {audio: true} and/or {video: true}');
    }
    return this._moderate(msg);
  }

  /** Locks (true) or unlocks (false) the room: nobody new may join while locked. */
  lock(locked = true) {
    return this._moderate({ type: 'lock', locked: !!locked });
  }

  /** Admits patients as soon as they arrive (while the doctor is present). */
  setAutoAdmit(enabled = true) {
    return this._moderate({ type: 'auto-admit', enabled: !!enabled });
  }

  /** Ends the visit for everyone (all get `closed`, reason `ended`). */
  endVisit() {
    return this._moderate({ type: 'end-visit' });
  }

  /** Doctor: asks everyone in the call to consent to a recording of the visit. */
  requestRecording() {
    return this._moderate({ type: 'recording-request' });
  }

  /** Doctor: stops the recording (files are kept). */
  stopRecording() {
    return this._moderate({ type: 'recording-stop' });
  }

  /**
   * Anyone: our answer to `recording-consent-request` (true = yes, false = no). `false` while the
   * recording goes on withdraws our consent, which stops the recording at once for everyone.
   */
  consentToRecording(recordingId, consent) {
    if (!recordingId || typeof recordingId !== 'string') {
      throw new MediBridgeError('bad_request', 'consentToRecording() needs the recordingId');
    }
    if (this.state !== 'joined') {
      this._emitError('not_joined', 'Cannot answer a recording request before joining', { requestType: 'recording-consent' });
      return false;
    }
    const yes = consent === true;
    if (this.recording && this.recording.recordingId === recordingId) this.recording.consent = yes;
    this._log('recording-consent-sent', { recordingId, consent: yes });
    return this._send({ type: 'recording-consent', recordingId, consent: yes });
  }

  _onRecordingConsentRequest(msg) {
    const same = this.recording && this.recording.recordingId === msg.recordingId;
    this.recording = {
      recordingId: msg.recordingId,
      state: same ? this.recording.state : 'requested',
      reason: null,
      by: same ? this.recording.by : null,
      waitingFor: same ? this.recording.waitingFor : [],
      requestedBy: msg.requestedBy ?? (same ? this.recording.requestedBy : null),
      consent: null,
    };
    this._emit('recording-consent-request', { recordingId: msg.recordingId, requestedBy: msg.requestedBy ?? null });
  }

  _onRecordingState(msg) {
    const prev = this.recording && this.recording.recordingId === msg.recordingId ? this.recording : null;
    this.recording = {
      recordingId: msg.recordingId ?? null,
      state: msg.state,
      reason: msg.reason ?? null,
      by: msg.by ?? null,
      waitingFor: Array.isArray(msg.waitingFor) ? [...msg.waitingFor] : [],
      requestedBy: msg.requestedBy ?? (prev ? prev.requestedBy : null),
      consent: prev ? prev.consent : null,
    };
    this._emit('recording-state', {
      recordingId: this.recording.recordingId, state: this.recording.state, reason: this.recording.reason,
      by: this.recording.by, waitingFor: [...this.recording.waitingFor], requestedBy: this.recording.requestedBy,
    });
  }

  _moderate(msg) {
    if (this.state !== 'joined') {
      this._emitError('not_joined', `Cannot '${msg.type}' before joining`, { requestType: msg.type });
      return false;
    }
    this._log('moderation-sent', { type: msg.type, participantId: msg.participantId });
    return this._send(msg);
  }

  /** Mutes or unmutes the microphone (track.enabled) and tells the others (also after a doctor's mute). */
  setAudioEnabled(enabled) {
    this.audioEnabled = !!enabled;
    if (this.audioEnabled && this.mutedBy) this.mutedBy.audio = false;
    for (const t of this.localStream ? this.localStream.getAudioTracks() : []) t.enabled = this.audioEnabled;
    this._sendMediaState();
  }

  /** Turns the camera on or off (track.enabled: black frames while off) and tells the others. */
  setVideoEnabled(enabled) {
    this.videoEnabled = !!enabled;
    if (this.videoEnabled && this.mutedBy) this.mutedBy.video = false;
    for (const t of this.localStream ? this.localStream.getVideoTracks() : []) t.enabled = this.videoEnabled;
    this._sendMediaState();
  }

  /** Leaves the room: sends `leave`, closes both peer connections, stops local tracks. */
  leave() {
    if (this.state === 'closed') return;
    if (this._ws && this._ws.readyState === WebSocket.OPEN) this._send({ type: 'leave' });
    this._teardown('left', 'You left the visit');
  }

  /** Remote tracks still live: RemoteTrack[] */
  activeRemoteTracks() {
    return [...this.remoteTracks.values()].filter((r) => !r.ended);
  }

  /** Remote tracks of one participant (live ones only). */
  tracksOf(participantId) {
    return this.activeRemoteTracks().filter((r) => r.participantId === participantId);
  }

  // ---------------------------------------------------------------- adaptive stream (render-size)

  /**
   * Reports, from now on, the size and visibility at which `element` (a <video>) shows the remote
   * video of subscriber m-line `mid`: CSS size × devicePixelRatio, visible = in the viewport
   * (IntersectionObserver), rendered (not display:none) and the page visible. Watching with
   * ResizeObserver, reports are debounced and sent only when something changed. An element observed
   * under another mid before is moved to this one.
   */
  observeRenderSize(mid, element) {
    if (mid == null || !element || this.state === 'closed') return;
    mid = String(mid);
    const rs = this._rs;
    const sameMid = rs.entries.get(mid);
    if (sameMid && sameMid.el === element) return;
    if (sameMid) this.unobserveRenderSize(mid);
    const sameEl = rs.byElement.get(element);
    if (sameEl) this.unobserveRenderSize(sameEl.mid);
    const entry = { mid, el: element, intersecting: null };
    rs.entries.set(mid, entry);
    rs.byElement.set(element, entry);
    this._startRenderObservers();
    if (rs.resizeObserver) rs.resizeObserver.observe(element);
    if (rs.intersectionObserver) rs.intersectionObserver.observe(element);
    this._scheduleRenderSize();
  }

  /** Stops reporting for a mid (or an element). */
  unobserveRenderSize(midOrElement) {
    const rs = this._rs;
    const entry = typeof midOrElement === 'object' && midOrElement !== null
      ? rs.byElement.get(midOrElement) : rs.entries.get(String(midOrElement));
    if (!entry) return;
    rs.entries.delete(entry.mid);
    rs.byElement.delete(entry.el);
    if (rs.resizeObserver) rs.resizeObserver.unobserve(entry.el);
    if (rs.intersectionObserver) rs.intersectionObserver.unobserve(entry.el);
    this._scheduleRenderSize();
  }

  /**
   * What would be reported now: {mid: {width, height, visible}} for every observed element whose mid
   * carries a live remote video track.
   */
  measureRenderSizes() {
    const out = {};
    const mids = [...this._rs.entries.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    for (const mid of mids) {
      const r = this.remoteTracks.get(mid);
      if (!r || r.ended || r.kind !== 'video') continue;
      out[mid] = measureElement(this._rs.entries.get(mid));
    }
    return out;
  }

  /**
   * A compact, JSON-serialisable view of the client state (for diagnostics and tests).
   */
  snapshot() {
    const tr = (t) => (t ? { id: t.id, kind: t.kind, readyState: t.readyState, enabled: t.enabled, muted: t.muted } : null);
    return {
      state: this.state,
      room: this.room,
      name: this.name,
      participantId: this.participantId,
      role: this.role,
      admission: this.admission,
      appointment: this.appointment,
      roomState: { ...this.roomState },
      waitingList: this.waitingList.map((w) => ({ ...w })),
      mutedBy: this.mutedBy,
      endingSoon: this.endingSoon,
      recording: this.recording ? { ...this.recording, waitingFor: [...this.recording.waitingFor] } : null,
      audioEnabled: this.audioEnabled,
      videoEnabled: this.videoEnabled,
      participants: [...this.participants.values()].map((p) => ({ ...p, tracks: [...(p.tracks || [])] })),
      publisher: pcState(this.publisherPc),
      subscriber: pcState(this.subscriberPc),
      localTracks: this.localStream ? this.localStream.getTracks().map(tr) : [],
      remoteTracks: [...this.remoteTracks.values()].map((r) => ({
        mid: r.mid,
        participantId: r.participantId,
        trackId: r.trackId,
        kind: r.kind,
        ended: r.ended,
        endReason: r.endReason,
        addedAt: r.addedAt,
        endedAt: r.endedAt,
        offerAppliedAt: r.offerAppliedAt,
        firstFrameAt: r.firstFrameAt,
        firstFrameDelayMs: r.firstFrameDelayMs,
        track: tr(r.track),
        transceiverStopped: transceiverStopped(r.transceiver),
        currentDirection: r.transceiver ? r.transceiver.currentDirection : null,
      })),
      timings: this.timings,
      simulcast: this.simulcast,
      renderSize: this.renderSize,
      renderSizeReports: this._rs.sent,
      events: this.eventLog.map((e) => ({ type: e.type, at: e.at, detail: e.summary })),
    };
  }

  // ---------------------------------------------------------------- media

  async _getUserMedia() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      throw new MediBridgeError('media_unavailable',
        'This browser cannot access camera or microphone here (a secure https:// page is required).');
    }
    return navigator.mediaDevices.getUserMedia({ video: this.videoConstraints, audio: this.audioConstraints });
  }

  _sendMediaState() {
    this._emit('media-state', { audio: this.audioEnabled, video: this.videoEnabled });
    if (this.state === 'joined') this._send({ type: 'media-state', audio: this.audioEnabled, video: this.videoEnabled });
  }

  // ---------------------------------------------------------------- signaling

  _openSocket() {
    return new Promise((resolve, reject) => {
      let ws;
      try {
        ws = new WebSocket(this.url);
      } catch (e) {
        reject(new MediBridgeError('ws_failed', `Cannot open ${this.url}: ${e.message}`));
        return;
      }
      this._ws = ws;
      let opened = false;
      ws.onopen = () => {
        opened = true;
        this.timings.wsOpen = now();
        this._lastServerMessageAt = now();
        if (this.pingIntervalMs > 0) {
          this._pingTimer = setInterval(() => this._keepAlive(ws), this.pingIntervalMs);
        }
        resolve();
      };
      ws.onerror = () => {
        if (!opened) reject(new MediBridgeError('ws_failed', `Cannot connect to the server (${this.url})`));
      };
      ws.onclose = (ev) => {
        if (!opened) {
          reject(new MediBridgeError('ws_failed', `Connection to the server was refused (${ev.code})`));
          return;
        }
        if (this._joinWaiter) {
          this._joinWaiter.reject(new MediBridgeError('ws_closed', `The server closed the connection (${ev.code} ${ev.reason || ''})`.trim()));
          this._joinWaiter = null;
        }
        if (this.state !== 'closed') {
          this._teardown('disconnected', `Connection to the server lost (${ev.code}${ev.reason ? ' ' + ev.reason : ''})`);
        }
      };
      ws.onmessage = (ev) => {
        this._lastServerMessageAt = now();
        let msg;
        try {
          msg = JSON.parse(ev.data);
        } catch (e) {
          this._emitError('bad_json', 'The server sent a message that is not JSON');
          return;
        }
        // Handle strictly in arrival order; an SDP step must finish before the next message.
        this._queue = this._queue
          .then(() => this._handle(msg))
          .catch((err) => this._emitError(err.code || 'client_error', `While handling '${msg && msg.type}': ${err.message}`));
      };
    });
  }

  /** Pings the server; closes as `disconnected` when it has been silent for serverSilenceMs. */
  _keepAlive(ws) {
    if (ws !== this._ws || this.state === 'closed') return;
    const silentMs = now() - this._lastServerMessageAt;
    if (this.serverSilenceMs > 0 && silentMs > this.serverSilenceMs) {
      try { ws.close(4000, 'server silent'); } catch (e) { /* already closing */ }
      this._teardown('disconnected', `Connection to the server lost (no answer for ${Math.round(silentMs / 1000)} s)`);
      return;
    }
    this._send({ type: 'ping' });
  }

  _send(msg) {
    if (!this._ws || this._ws.readyState !== WebSocket.OPEN) return false;
    this._ws.send(JSON.stringify(msg));
    return true;
  }

  async _handle(msg) {
    if (this.state === 'closed') return;
    switch (msg.type) {
      case 'joined': return this._onJoined(msg);
      case 'answer': return this._onAnswer(msg);
      case 'offer': return this._onOffer(msg);
      case 'participant-joined': return this._onParticipantJoined(msg);
      case 'participant-left': return this._onParticipantLeft(msg);
      case 'participant-updated': return this._onParticipantUpdated(msg);
      case 'track-published':
      case 'track-unpublished': return this._onTrackInfo(msg);
      case 'candidate': return this._onRemoteCandidate(msg);
      case 'error': return this._onError(msg);
      case 'waiting': return this._onWaiting(msg);
      case 'admitted': return this._onAdmitted(msg);
      case 'waiting-list': return this._onWaitingList(msg);
      case 'room-state': return this._onRoomState(msg);
      case 'muted': return this._onMuted(msg);
      case 'connection-quality': return this._onConnectionQuality(msg);
      case 'recording-consent-request': return this._onRecordingConsentRequest(msg);
      case 'recording-state': return this._onRecordingState(msg);
      case 'ending-soon':
        this.endingSoon = msg.closesAt || null;
        this._emit('ending-soon', { closesAt: msg.closesAt || null });
        return;
      case 'closed':
        this._teardown(msg.reason || 'closed', msg.message || 'The server ended the session');
        return;
      case 'pong': return;
      default:
        this._log('unknown-message', { type: msg.type });
    }
  }

  async _onJoined(msg) {
    this.participantId = msg.participantId;
    if (msg.room) this.room = msg.room;
    if (msg.name) this.name = msg.name;
    this.role = msg.role || (this.token ? null : 'guest');
    this.admission = msg.state === 'waiting' ? 'waiting' : 'admitted';
    this.appointment = msg.appointment || null;
    if (msg.roomState) this.roomState = normRoomState(msg.roomState, this.roomState);
    this.participants.clear();
    for (const p of msg.participants || []) this.participants.set(p.participantId, normParticipant(p));
    this.timings.joined = now();
    this._setState('joined');
    const detail = {
      participantId: this.participantId, room: this.room, name: this.name, role: this.role,
      admission: this.admission, appointment: this.appointment, roomState: { ...this.roomState },
      participants: [...this.participants.values()],
    };
    this._emit('joined', detail);
    this._emit('admission', { admission: this.admission });
    for (const p of this.participants.values()) this._emit('participant-joined', { participant: p, existing: true });
    if (this._joinWaiter) {
      this._joinWaiter.resolve(msg);
      this._joinWaiter = null;
    }
    // Tell the others if we start muted (setAudioEnabled before join).
    if (!this.audioEnabled || !this.videoEnabled) this._sendMediaState();
    await this._startPublishing();
  }

  async _startPublishing() {
    const pc = this._createPc('publisher');
    this.publisherPc = pc;
    const stream = this.localStream;
    // Audio first, then video: one sendonly m-line per local track.
    const tracks = [...stream.getAudioTracks(), ...stream.getVideoTracks()];
    for (const track of tracks) {
      if (this.simulcast && track.kind === 'video') {
        // rid simulcast, lowest layer first: the server answers with every rid and picks per subscriber.
        pc.addTransceiver(track, {
          direction: 'sendonly', streams: [stream], sendEncodings: SIMULCAST_ENCODINGS.map((e) => ({ ...e })),
        });
      } else {
        pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
      }
    }
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    this._send({ type: 'offer', pc: 'publisher', sdp: pc.localDescription.sdp });
    this._localDescriptionSent.publisher = true;
    this._flushCandidates('publisher');
  }

  async _onAnswer(msg) {
    if (msg.pc && msg.pc !== 'publisher') {
      this._log('ignored', { reason: 'answer for ' + msg.pc });
      return;
    }
    const pc = this.publisherPc;
    if (!pc || pc.signalingState !== 'have-local-offer') {
      this._emitError('unexpected_answer', 'The server answered, but no publisher offer was outstanding');
      return;
    }
    await pc.setRemoteDescription({ type: 'answer', sdp: msg.sdp });
    this.timings.publisherAnswered = now();
    this._log('publisher-answered', {});
  }

  async _onOffer(msg) {
    if (msg.pc && msg.pc !== 'subscriber') {
      this._emitError('bad_request', `Unexpected offer for pc '${msg.pc}'`);
      return;
    }
    const receivedAt = now();
    const offerNumber = ++this._subscriberOfferCount;
    // Replace the mid map *before* applying the SDP: ontrack fires during setRemoteDescription.
    this.subscriberTracks = msg.tracks || {};
    let pc = this.subscriberPc;
    if (pc && msg.reset && this._recovery.subscriber) {
      clearTimeout(this._recovery.subscriber.timer); // a fresh connection replaces the one we were restarting
      this._recovery.subscriber = null;
    }
    if (pc && msg.reset) {
      // The server's previous subscriber connection is gone (every m-line had been rejected, so
      // the bundle transport closed): start over with a fresh RTCPeerConnection.
      for (const r of this.remoteTracks.values()) this._endRemoteTrack(r, 'subscriber-reset');
      this.remoteTracks.clear();
      pc.ontrack = null;
      pc.close();
      pc = null;
      this.subscriberPc = null;
      this._localDescriptionSent.subscriber = false;
      this._endOfCandidatesSent.subscriber = false;
      this._pendingCandidates.subscriber = [];
    }
    if (!pc) {
      pc = this._createPc('subscriber');
      this.subscriberPc = pc;
      pc.ontrack = (ev) => this._onTrack(ev);
    }
    this._currentOfferNumber = offerNumber;
    await pc.setRemoteDescription({ type: 'offer', sdp: msg.sdp });
    const appliedAt = now();
    this._currentOfferAppliedAt = appliedAt;
    // Tracks whose transceiver already existed (no new ontrack) but the map changed.
    this._refreshTrackMapping(appliedAt);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    this._send({ type: 'answer', pc: 'subscriber', sdp: pc.localDescription.sdp });
    const answeredAt = now();
    this._localDescriptionSent.subscriber = true;
    this._flushCandidates('subscriber');
    // Rejected m-lines (port 0) stop their transceivers once the answer is applied.
    this._sweepEndedTracks();
    const mids = Object.keys(this.subscriberTracks);
    const rec = { offerNumber, receivedAt, appliedAt, answeredAt, mids };
    this.timings.subscriberOffers.push(rec);
    this._emit('subscriber-offer-applied', rec);
    // Repeat the sizes once the server has our answer (its subscriber legs may be new).
    this._scheduleRenderSize(RENDER_SIZE_NEW_TRACK_MS, true);
  }

  _onTrack(ev) {
    const tr = ev.transceiver;
    const mid = tr ? tr.mid : null;
    const info = mid != null ? this.subscriberTracks[mid] : null;
    const old = mid != null ? this.remoteTracks.get(mid) : null;
    if (old && !old.ended && old.track === ev.track) return; // same receiver re-signalled
    if (old && !old.ended) this._endRemoteTrack(old, 'replaced');
    const stream = new MediaStream([ev.track]);
    const r = {
      mid,
      participantId: info ? info.participantId : null,
      trackId: info ? info.trackId : null,
      kind: ev.track.kind,
      track: ev.track,
      stream,
      transceiver: tr,
      receiver: ev.receiver,
      ended: false,
      endReason: null,
      addedAt: now(),
      endedAt: null,
      offerAppliedAt: null, // set in _refreshTrackMapping once the SRD resolved
      offerNumber: this._currentOfferNumber,
      firstFrameAt: null,
      firstFrameDelayMs: null,
    };
    if (info && info.kind && info.kind !== ev.track.kind) {
      this._emitError('track_mismatch', `m-line ${mid}: server says ${info.kind}, browser got ${ev.track.kind}`);
    }
    this.remoteTracks.set(mid, r);
    ev.track.addEventListener('ended', () => this._endRemoteTrack(r, 'track-ended'));
    if (r.participantId) this._announceRemoteTrack(r);
  }

  _announceRemoteTrack(r) {
    r.announced = true;
    this._emit('remote-track', r);
    // Tell the server at once how the new video is shown (the app attached its element in the event).
    if (r.kind === 'video') this._scheduleRenderSize(RENDER_SIZE_NEW_TRACK_MS, true);
  }

  /** After SRD: attach participant info to tracks, remember when their offer was applied. */
  _refreshTrackMapping(appliedAt) {
    for (const [mid, r] of this.remoteTracks) {
      if (r.ended) continue;
      const info = this.subscriberTracks[mid];
      if (r.offerAppliedAt == null) r.offerAppliedAt = appliedAt;
      if (info && (!r.participantId || r.trackId !== info.trackId)) {
        const wasAnnounced = r.announced;
        if (wasAnnounced && r.trackId && r.trackId !== info.trackId) {
          this._endRemoteTrack(r, 'remapped');
          continue;
        }
        r.participantId = info.participantId;
        r.trackId = info.trackId;
        if (!wasAnnounced) this._announceRemoteTrack(r);
      }
      if (r.kind === 'video' && r.firstFrameAt == null && this.measureFirstFrame && !r.polling) {
        this._pollFirstFrame(r);
      }
    }
  }

  /** End tracks whose m-line was rejected (transceiver stopped) or that left the server's map. */
  _sweepEndedTracks() {
    for (const [mid, r] of this.remoteTracks) {
      if (r.ended) continue;
      if (transceiverStopped(r.transceiver)) this._endRemoteTrack(r, 'transceiver-stopped');
      else if (r.track.readyState === 'ended') this._endRemoteTrack(r, 'track-ended');
      else if (!(mid in this.subscriberTracks)) this._endRemoteTrack(r, 'not-in-offer');
    }
  }

  _endRemoteTrack(r, reason) {
    if (r.ended) return;
    r.ended = true;
    r.endReason = reason;
    r.endedAt = now();
    this._emit('remote-track-ended', r);
    if (r.kind === 'video') this._scheduleRenderSize();
  }

  _startRenderObservers() {
    const rs = this._rs;
    if (rs.listening) return;
    rs.listening = true;
    const G = globalThis;
    if (typeof G.ResizeObserver === 'function') {
      rs.resizeObserver = new G.ResizeObserver(() => this._scheduleRenderSize());
    }
    if (typeof G.IntersectionObserver === 'function') {
      rs.intersectionObserver = new G.IntersectionObserver((entries) => {
        for (const e of entries) {
          const entry = rs.byElement.get(e.target);
          if (entry) entry.intersecting = e.isIntersecting;
        }
        this._scheduleRenderSize();
      }, { threshold: [0] });
    }
    if (G.document) G.document.addEventListener('visibilitychange', this._onRenderContextChange);
    if (G.addEventListener) G.addEventListener('resize', this._onRenderContextChange); // zoom: devicePixelRatio
  }

  _stopRenderObservers() {
    const rs = this._rs;
    if (rs.timer) clearTimeout(rs.timer);
    rs.timer = null;
    if (rs.resizeObserver) rs.resizeObserver.disconnect();
    if (rs.intersectionObserver) rs.intersectionObserver.disconnect();
    rs.resizeObserver = null;
    rs.intersectionObserver = null;
    if (rs.listening) {
      const G = globalThis;
      if (G.document) G.document.removeEventListener('visibilitychange', this._onRenderContextChange);
      if (G.removeEventListener) G.removeEventListener('resize', this._onRenderContextChange);
    }
    rs.listening = false;
  }

  /**
   * Sends a render-size report after `delay` ms (changes meanwhile are coalesced), never sooner than
   * RENDER_SIZE_MIN_INTERVAL_MS after the previous one; `force` sends even if nothing changed.
   */
  _scheduleRenderSize(delay = RENDER_SIZE_DEBOUNCE_MS, force = false) {
    const rs = this._rs;
    if (force) rs.force = true;
    if (rs.unsupported || this.state === 'closed') return;
    const due = Math.max(now() + delay, rs.lastSentAt + RENDER_SIZE_MIN_INTERVAL_MS);
    if (rs.timer) {
      if (rs.due <= due) return;
      clearTimeout(rs.timer);
    }
    rs.due = due;
    rs.timer = setTimeout(() => {
      rs.timer = null;
      this._flushRenderSize();
    }, Math.max(0, due - now()));
  }

  _flushRenderSize() {
    const rs = this._rs;
    if (rs.unsupported || this.state !== 'joined') return;
    const tracks = this.measureRenderSizes();
    const key = JSON.stringify(tracks);
    if (!rs.force && key === rs.lastKey) return;
    if (rs.lastKey === null && Object.keys(tracks).length === 0) {
      rs.force = false;
      return; // nothing shown yet and nothing said before
    }
    if (!this._send({ type: 'render-size', tracks })) return;
    rs.force = false;
    rs.lastKey = key;
    rs.lastSentAt = now();
    rs.sent += 1;
    this.renderSize = tracks;
    this._emit('render-size', { tracks });
  }

  /** Polls the receiver's stats every 50 ms until the first frame is decoded (max 15 s). */
  _pollFirstFrame(r) {
    r.polling = true;
    const started = now();
    const timer = setInterval(async () => {
      if (r.ended || this.state === 'closed' || now() - started > 15000) {
        clearInterval(timer);
        this._firstFramePollers.delete(timer);
        return;
      }
      try {
        const stats = await r.receiver.getStats();
        for (const s of stats.values()) {
          if (s.type === 'inbound-rtp' && s.kind === 'video' && (s.framesDecoded || 0) > 0 && r.firstFrameAt == null) {
            r.firstFrameAt = now();
            r.firstFrameDelayMs = r.firstFrameAt - (r.offerAppliedAt ?? r.addedAt);
            clearInterval(timer);
            this._firstFramePollers.delete(timer);
            this._emit('first-frame', r);
            return;
          }
        }
      } catch (e) {
        /* receiver gone: the next tick ends the poller */
      }
    }, 50);
    this._firstFramePollers.add(timer);
  }

  async _onRemoteCandidate(msg) {
    // The server does not trickle (its candidate is in the SDP); accept it anyway.
    const pc = msg.pc === 'subscriber' ? this.subscriberPc : this.publisherPc;
    if (!pc) return;
    if (!msg.candidate) return;
    await pc.addIceCandidate({ candidate: msg.candidate, sdpMid: msg.sdpMid ?? null, sdpMLineIndex: msg.sdpMLineIndex ?? null });
  }

  _onWaiting(msg) {
    if (typeof msg.doctorPresent === 'boolean') this.roomState.doctorPresent = msg.doctorPresent;
    if (this.admission !== 'waiting') {
      this.admission = 'waiting';
      this._emit('admission', { admission: 'waiting' });
    }
    this._emit('waiting', { doctorPresent: this.roomState.doctorPresent });
  }

  _onAdmitted(msg) {
    this.admission = 'admitted';
    this.timings.admitted = now();
    if (msg.roomState) this.roomState = normRoomState(msg.roomState, this.roomState);
    this.participants.clear();
    for (const p of msg.participants || []) this.participants.set(p.participantId, normParticipant(p));
    this._emit('admission', { admission: 'admitted' });
    this._emit('admitted', { participants: [...this.participants.values()] });
    for (const p of this.participants.values()) this._emit('participant-joined', { participant: p, existing: true });
  }

  _onWaitingList(msg) {
    this.waitingList = (Array.isArray(msg.waiting) ? msg.waiting : []).map((w) => ({
      participantId: w.participantId, name: w.name ?? '', since: w.since ?? null,
    }));
    this._emit('waiting-list', { waiting: this.waitingList.map((w) => ({ ...w })) });
  }

  _onRoomState(msg) {
    this.roomState = normRoomState(msg, this.roomState);
    this._emit('room-state', { ...this.roomState });
  }

  /**
   * The server's view of each participant's connection: 'excellent' | 'good' | 'poor' | 'lost'
   * (see docs/protocol.md). Kept in `connectionQuality` (participantId → level); `self` is ours.
   */
  _onConnectionQuality(msg) {
    const list = Array.isArray(msg.participants) ? msg.participants : [];
    for (const q of list) {
      if (q && typeof q.participantId === 'string' && typeof q.quality === 'string') {
        this.connectionQuality.set(q.participantId, q.quality);
      }
    }
    this._emit('connection-quality', {
      qualities: Object.fromEntries(this.connectionQuality),
      self: this.connectionQuality.get(this.participantId) ?? null,
    });
  }

  /**
   * The doctor muted us: the server already stopped forwarding; mirror it on our tracks and UI.
   * `audio` / `video` are the server's current moderator mutes (cumulative); only a kind that is
   * newly muted is switched off here, and nothing is ever switched back on remotely.
   */
  _onMuted(msg) {
    const audio = msg.audio === true;
    const video = msg.video === true;
    const prev = this.mutedBy || { audio: false, video: false };
    const changed = { audio: audio && (!prev.audio || this.audioEnabled), video: video && (!prev.video || this.videoEnabled) };
    this.mutedBy = { audio, video, by: msg.by ?? null };
    if (changed.audio) {
      this.audioEnabled = false;
      for (const t of this.localStream ? this.localStream.getAudioTracks() : []) t.enabled = false;
    }
    if (changed.video) {
      this.videoEnabled = false;
      for (const t of this.localStream ? this.localStream.getVideoTracks() : []) t.enabled = false;
    }
    // Local only: the server knows (it muted us) and told the others already.
    if (changed.audio || changed.video) {
      this._emit('media-state', { audio: this.audioEnabled, video: this.videoEnabled, by: msg.by ?? null });
    }
    this._emit('muted', { audio, video, by: msg.by ?? null, changed });
  }

  _onParticipantJoined(msg) {
    const p = normParticipant(msg.participant || {});
    if (!p.participantId || p.participantId === this.participantId) return;
    this.participants.set(p.participantId, p);
    this._emit('participant-joined', { participant: p, existing: false });
  }

  _onParticipantLeft(msg) {
    const p = this.participants.get(msg.participantId) || null;
    this.participants.delete(msg.participantId);
    this._emit('participant-left', { participantId: msg.participantId, reason: msg.reason || 'left', participant: p });
    // The media ends through the next subscriber offer (m-lines rejected); see _sweepEndedTracks.
  }

  _onParticipantUpdated(msg) {
    const p = this.participants.get(msg.participantId);
    if (p) {
      if (typeof msg.audio === 'boolean') p.audio = msg.audio;
      if (typeof msg.video === 'boolean') p.video = msg.video;
    }
    this._emit('participant-updated', { participantId: msg.participantId, audio: msg.audio, video: msg.video, participant: p || null });
  }

  _onTrackInfo(msg) {
    const p = this.participants.get(msg.participantId);
    if (p) {
      const list = p.tracks || (p.tracks = []);
      const i = list.findIndex((t) => t.trackId === msg.trackId);
      if (msg.type === 'track-published' && i < 0) list.push({ trackId: msg.trackId, kind: msg.kind });
      if (msg.type === 'track-unpublished' && i >= 0) list.splice(i, 1);
    }
    this._emit(msg.type, { participantId: msg.participantId, trackId: msg.trackId, kind: msg.kind });
  }

  _onError(msg) {
    // render-size is advisory: an older server (unknown_type) or a refused report is logged, never shown.
    const unknownRenderSize = msg.code === 'unknown_type' && /render-size/.test(String(msg.message || ''));
    if (msg.requestType === 'render-size' || unknownRenderSize) {
      if (msg.code === 'unknown_type') {
        this._rs.unsupported = true;
        if (this._rs.timer) clearTimeout(this._rs.timer);
        this._rs.timer = null;
      }
      this._log('render-size-error', { code: msg.code, message: msg.message });
      return;
    }
    if (msg.requestType === 'ice-restart' || (msg.requestType === 'offer' && this._recovery.publisher)) {
      // A refused restart (too soon, not yet negotiated): the recovery timer tries again.
      this._log('ice-restart-refused', { code: msg.code, message: msg.message, requestType: msg.requestType });
      return;
    }
    const fatal = msg.requestType === 'join' || (msg.requestType === 'offer' && String(msg.code || '').startsWith('sdp_'));
    if (this._joinWaiter && (msg.requestType === 'join' || !msg.requestType)) {
      const extra = { requestType: msg.requestType };
      const validFrom = msg.validFrom || msg.notBefore || msg.joinableFrom;
      if (validFrom) extra.validFrom = validFrom;
      this._joinWaiter.reject(new MediBridgeError(msg.code || 'error', msg.message || msg.code, extra));
      this._joinWaiter = null;
      return; // join() emits the error and tears down
    }
    this._emitError(msg.code || 'error', msg.message || msg.code, { requestType: msg.requestType, fatal });
  }

  // ---------------------------------------------------------------- peer connections

  _createPc(which) {
    const pc = new RTCPeerConnection(this.pcConfig);
    pc.onicecandidate = (ev) => {
      // null (or an empty candidate string) = gathering finished.
      const c = ev.candidate;
      if (c && c.candidate) {
        this._queueCandidate(which, {
          type: 'candidate', pc: which, candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex,
        });
      } else if (!this._endOfCandidatesSent[which]) {
        this._endOfCandidatesSent[which] = true;
        this._queueCandidate(which, { type: 'candidate', pc: which, candidate: '' });
      }
    };
    pc.onicegatheringstatechange = () => {
      if (pc.iceGatheringState === 'gathering') this._endOfCandidatesSent[which] = false;
    };
    pc.onconnectionstatechange = () => {
      this._emit('connection-state', { pc: which, state: pc.connectionState });
      if (which === 'subscriber' && pc.connectionState === 'connected') this._scheduleRenderSize(0, true);
      this._onPathState(which, pc);
    };
    pc.oniceconnectionstatechange = () => {
      this._emit('ice-connection-state', { pc: which, state: pc.iceConnectionState });
      this._onPathState(which, pc);
    };
    return pc;
  }

  /** True while a connection's path is being recovered (see `reconnecting` / `reconnected`). */
  get reconnecting() {
    return !!(this._recovery.publisher || this._recovery.subscriber);
  }

  _pcOf(which) {
    return which === 'publisher' ? this.publisherPc : this.subscriberPc;
  }

  /** Watches a connection's ICE/DTLS state: restarts ICE when its path dies, reports recovery. */
  _onPathState(which, pc) {
    if (pc !== this._pcOf(which) || this.state !== 'joined') return;
    const ice = pc.iceConnectionState;
    const rec = this._recovery[which];
    if (ice === 'connected' || ice === 'completed') {
      if (rec && rec.attempts > 0 && pc.connectionState === 'connected') {
        clearTimeout(rec.timer);
        this._recovery[which] = null;
        this._emit('reconnected', { pc: which, attempts: rec.attempts, ms: Math.round(now() - rec.since) });
      } else if (rec && rec.attempts === 0) {
        clearTimeout(rec.timer); // the outage healed within the grace period
        this._recovery[which] = null;
      }
      return;
    }
    if (ice === 'disconnected' && !rec) {
      const r = { timer: null, attempts: 0, since: now() };
      r.timer = setTimeout(() => this._restartIce(which), ICE_DISCONNECTED_GRACE_MS);
      this._recovery[which] = r;
    } else if ((ice === 'failed' || pc.connectionState === 'failed') && (!rec || rec.attempts === 0)) {
      if (rec) clearTimeout(rec.timer);
      if (!rec) this._recovery[which] = { timer: null, attempts: 0, since: now() };
      this._restartIce(which);
    }
  }

  /** One ICE restart attempt; schedules the next, or gives up after ICE_RECOVERY_GIVE_UP_MS. */
  async _restartIce(which) {
    const rec = this._recovery[which];
    const pc = this._pcOf(which);
    if (!rec || !pc || this.state !== 'joined') return;
    if (now() - rec.since >= ICE_RECOVERY_GIVE_UP_MS) {
      this._recovery[which] = null;
      this._emitError('connection_failed', `The ${which} media connection failed`, { pc: which });
      return;
    }
    rec.attempts += 1;
    this._emit('reconnecting', { pc: which, attempt: rec.attempts });
    rec.timer = setTimeout(() => this._restartIce(which), ICE_RESTART_INTERVAL_MS);
    try {
      if (which === 'subscriber') {
        // We answer on this connection: the server must offer the restart.
        this._send({ type: 'ice-restart', pc: 'subscriber' });
        return;
      }
      // An earlier attempt's offer that was never answered is rolled back first.
      if (pc.signalingState === 'have-local-offer') await pc.setLocalDescription({ type: 'rollback' });
      this._localDescriptionSent.publisher = false;
      this._pendingCandidates.publisher = [];
      const offer = await pc.createOffer({ iceRestart: true });
      await pc.setLocalDescription(offer);
      this._send({ type: 'offer', pc: 'publisher', sdp: pc.localDescription.sdp });
      this._localDescriptionSent.publisher = true;
      this._flushCandidates('publisher');
    } catch (e) {
      this._log('ice-restart-failed', { pc: which, message: String(e && e.message) });
    }
  }

  _queueCandidate(which, msg) {
    if (this._localDescriptionSent[which]) this._send(msg);
    else this._pendingCandidates[which].push(msg);
  }

  _flushCandidates(which) {
    const list = this._pendingCandidates[which];
    this._pendingCandidates[which] = [];
    for (const m of list) this._send(m);
  }

  // ---------------------------------------------------------------- lifecycle

  _teardown(reason, message, extra = {}) {
    if (this.state === 'closed') return;
    this._setState('closed');
    if (this._pingTimer) clearInterval(this._pingTimer);
    for (const r of Object.values(this._recovery)) if (r) clearTimeout(r.timer);
    this._recovery = { publisher: null, subscriber: null };
    for (const t of this._firstFramePollers) clearInterval(t);
    this._firstFramePollers.clear();
    this._stopRenderObservers();
    for (const r of this.remoteTracks.values()) {
      if (!r.ended) this._endRemoteTrack(r, 'closed');
    }
    for (const pc of [this.publisherPc, this.subscriberPc]) {
      if (pc) {
        try { pc.close(); } catch (e) { /* already closed */ }
      }
    }
    if (this.localStream && !this._providedStream) {
      for (const t of this.localStream.getTracks()) t.stop();
    }
    if (this._ws) {
      const ws = this._ws;
      ws.onmessage = null;
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) {
        try { ws.close(1000, 'bye'); } catch (e) { /* ignore */ }
      }
    }
    this._emit('closed', { reason, message, ...extra });
  }

  _setState(state) {
    this.state = state;
    this._emit('state', { state });
  }

  _emitError(code, message, extra = {}) {
    this._emit('error', { code, message, ...extra });
  }

  _emit(type, detail) {
    this._log(type, detail);
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  _log(type, detail) {
    this.eventLog.push({ type, at: now(), detail, summary: summarize(detail) });
    if (this.eventLog.length > 500) this.eventLog.splice(0, this.eventLog.length - 500);
  }
}

// ------------------------------------------------------------------ helpers

function now() {
  return performance.now();
}

function normParticipant(p) {
  return {
    participantId: p.participantId,
    name: p.name ?? '',
    audio: p.audio !== false,
    video: p.video !== false,
    tracks: Array.isArray(p.tracks) ? p.tracks.map((t) => ({ ...t })) : [],
  };
}

function normRoomState(m, prev = {}) {
  return {
    locked: typeof m.locked === 'boolean' ? m.locked : !!prev.locked,
    autoAdmit: typeof m.autoAdmit === 'boolean' ? m.autoAdmit : !!prev.autoAdmit,
    doctorPresent: typeof m.doctorPresent === 'boolean' ? m.doctorPresent : !!prev.doctorPresent,
  };
}

function requireId(participantId) {
  if (!participantId || typeof participantId !== 'string') {
    throw new MediBridgeError('bad_request', 'a participantId is required');
  }
  return participantId;
}

/**
 * One claim of a JWT's payload, for display only (the name before `joined`, the not-before time
 * of a link that is not valid yet). Nothing is verified here: the server checks every token.
 */
export function tokenClaim(token, claim) {
  if (!token || typeof token !== 'string') return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(Array.from(atob(b64 + '==='.slice((b64.length + 3) % 4)),
      (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
    const payload = JSON.parse(json);
    return payload && typeof payload === 'object' ? payload[claim] : undefined;
  } catch (e) {
    return undefined;
  }
}

/** {width, height, visible} of one observed element, in device pixels. */
function measureElement(entry) {
  const el = entry.el;
  const G = globalThis;
  const dpr = G.devicePixelRatio || 1;
  const rendered = !!el.isConnected && el.getClientRects().length > 0
    && (typeof el.checkVisibility !== 'function' || el.checkVisibility({ visibilityProperty: true, checkVisibilityCSS: true }));
  const rect = el.getBoundingClientRect();
  const width = rendered ? Math.round(rect.width * dpr) : 0;
  const height = rendered ? Math.round(rect.height * dpr) : 0;
  let inViewport = entry.intersecting;
  if (inViewport === null || inViewport === undefined) {
    // IntersectionObserver has not reported yet (or does not exist): plain geometry against the viewport.
    const vw = G.innerWidth || (G.document && G.document.documentElement.clientWidth) || 0;
    const vh = G.innerHeight || (G.document && G.document.documentElement.clientHeight) || 0;
    inViewport = rect.bottom > 0 && rect.right > 0 && rect.top < vh && rect.left < vw;
  }
  const pageVisible = !G.document || G.document.visibilityState !== 'hidden';
  return { width, height, visible: rendered && inViewport && pageVisible && width > 0 && height > 0 };
}

function transceiverStopped(tr) {
  if (!tr) return false;
  if (tr.stopped === true) return true; // older spec / Safari
  return tr.currentDirection === 'stopped' || tr.direction === 'stopped';
}

function pcState(pc) {
  if (!pc) return null;
  return {
    connectionState: pc.connectionState,
    iceConnectionState: pc.iceConnectionState,
    signalingState: pc.signalingState,
    transceivers: pc.getTransceivers().map((t) => ({
      mid: t.mid, direction: t.direction, currentDirection: t.currentDirection,
      kind: (t.receiver && t.receiver.track && t.receiver.track.kind) || null,
    })),
  };
}

/** JSON-safe one-level summary of an event payload (no tracks, streams, PCs). */
function summarize(detail) {
  if (!detail || typeof detail !== 'object') return detail ?? null;
  const out = {};
  for (const [k, v] of Object.entries(detail)) {
    if (v == null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x !== 'object')) out[k] = v;
    else if (k === 'participant' && typeof v === 'object') out[k] = { participantId: v.participantId, name: v.name };
    else if (k === 'participants' && Array.isArray(v)) out[k] = v.map((p) => p.participantId);
  }
  return out;
}

function toMediaError(err) {
  const name = err && err.name;
  const map = {
    NotAllowedError: ['media_denied', 'Camera or microphone access was denied. Please allow access and reload.'],
    NotFoundError: ['media_not_found', 'No camera or microphone was found.'],
    NotReadableError: ['media_busy', 'The camera or microphone is in use by another application.'],
    OverconstrainedError: ['media_constraints', 'The camera does not support the requested format.'],
    SecurityError: ['media_denied', 'Camera and microphone need a secure (https://) page.'],
  };
  if (map[name]) return new MediBridgeError(map[name][0], map[name][1], { cause: err });
  return new MediBridgeError('client_error', (err && err.message) || String(err), { cause: err });
}
