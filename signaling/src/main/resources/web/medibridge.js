// MediBridge browser client (protocol v1, see docs/protocol.md).
//
// Standards-only: unified plan, addTransceiver with streams, no SDP munging, no
// browser-specific code paths, so it runs in Chromium, Firefox and Safari alike.
//
//   import { MediBridgeClient } from './medibridge.js';
//   const client = new MediBridgeClient({ room: 'visit-42', name: 'Dr. Grey' });
//   client.addEventListener('remote-track', (e) => attach(e.detail));
//   await client.join();
//
// Events (all CustomEvent, payload in `event.detail`):
//   local-stream        {stream}
//   joined              {participantId, room, participants: Participant[]}
//   participant-joined  {participant}
//   participant-left    {participantId, reason, participant}
//   participant-updated {participantId, audio, video, participant}
//   track-published     {participantId, trackId, kind}
//   track-unpublished   {participantId, trackId, kind}
//   remote-track        RemoteTrack  (see _remoteTrackInfo) – a new remote track arrived
//   remote-track-ended  RemoteTrack  (with `endReason`) – a remote track stopped
//   subscriber-offer-applied {offerNumber, mids, appliedAt, answeredAt}
//   first-frame         RemoteTrack  (video; `firstFrameAt`, `firstFrameDelayMs`)
//   connection-state    {pc: 'publisher'|'subscriber', state}
//   ice-connection-state{pc, state}
//   media-state         {audio, video}   – our own state changed
//   state               {state}          – client lifecycle: idle|connecting|joined|closed
//   error               {code, message, requestType, fatal}
//   closed              {reason, message}

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
   * @param {string} opts.room         room id, [A-Za-z0-9_.-]{1,64}
   * @param {string} opts.name         display name, 1–64 characters
   * @param {string} [opts.token]      optional join token
   * @param {string} [opts.url]        signaling URL (default ws(s)://<page host>/ws)
   * @param {MediaTrackConstraints|boolean} [opts.video] camera constraints (false = no camera)
   * @param {MediaTrackConstraints|boolean} [opts.audio] microphone constraints (false = no mic)
   * @param {MediaStream} [opts.localStream] use this stream instead of getUserMedia
   * @param {RTCIceServer[]} [opts.iceServers] usually not needed (the server is ICE-lite-like)
   * @param {boolean} [opts.measureFirstFrame=true] poll getStats (50 ms) per new remote video
   *        track until its first frame is decoded, to report time-to-first-frame
   * @param {number} [opts.pingIntervalMs=20000] keep-alive ping interval (0 = off)
   */
  constructor(opts = {}) {
    super();
    if (!opts.room) throw new MediBridgeError('bad_request', 'room is required');
    if (!opts.name) throw new MediBridgeError('bad_request', 'name is required');
    this.room = String(opts.room);
    this.name = String(opts.name);
    this.token = opts.token;
    this.url = opts.url || defaultSignalingUrl();
    this.videoConstraints = opts.video === undefined ? DEFAULT_VIDEO : opts.video;
    this.audioConstraints = opts.audio === undefined ? DEFAULT_AUDIO : opts.audio;
    this.pcConfig = { ...PC_CONFIG, iceServers: opts.iceServers || [] };
    this.measureFirstFrame = opts.measureFirstFrame !== false;
    this.pingIntervalMs = opts.pingIntervalMs ?? 20000;
    this._providedStream = opts.localStream || null;

    /** lifecycle: idle | connecting | joined | closed */
    this.state = 'idle';
    this.participantId = null;
    /** @type {Map<string, object>} participantId -> {participantId, name, audio, video, tracks} */
    this.participants = new Map();
    /** @type {Map<string, object>} mid -> RemoteTrack info (also ended ones, until leave) */
    this.remoteTracks = new Map();
    /** the latest `tracks` map of the server's subscriber offer (mid -> {participantId, trackId, kind}) */
    this.subscriberTracks = {};
    this.localStream = null;
    this.publisherPc = null;
    this.subscriberPc = null;
    this.audioEnabled = true;
    this.videoEnabled = true;
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
    this._closing = false;
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
        const msg = { type: 'join', room: this.room, name: this.name };
        if (this.token) msg.token = this.token;
        this._send(msg);
      });
      return joined;
    } catch (err) {
      const e = err instanceof MediBridgeError ? err : toMediaError(err);
      this._emitError(e.code, e.message, { fatal: true });
      this._teardown('join_failed', e.message);
      throw e;
    }
  }

  /** Mutes or unmutes the microphone (track.enabled) and tells the others. */
  setAudioEnabled(enabled) {
    this.audioEnabled = !!enabled;
    for (const t of this.localStream ? this.localStream.getAudioTracks() : []) t.enabled = this.audioEnabled;
    this._sendMediaState();
  }

  /** Turns the camera on or off (track.enabled: black frames while off) and tells the others. */
  setVideoEnabled(enabled) {
    this.videoEnabled = !!enabled;
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
        if (this.pingIntervalMs > 0) {
          this._pingTimer = setInterval(() => this._send({ type: 'ping' }), this.pingIntervalMs);
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
    this.participants.clear();
    for (const p of msg.participants || []) this.participants.set(p.participantId, normParticipant(p));
    this.timings.joined = now();
    this._setState('joined');
    const detail = { participantId: this.participantId, room: this.room, participants: [...this.participants.values()] };
    this._emit('joined', detail);
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
      pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
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
    const fatal = msg.requestType === 'join' || (msg.requestType === 'offer' && String(msg.code || '').startsWith('sdp_'));
    if (this._joinWaiter && (msg.requestType === 'join' || !msg.requestType)) {
      this._joinWaiter.reject(new MediBridgeError(msg.code || 'error', msg.message || msg.code, { requestType: msg.requestType }));
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
      if (pc.connectionState === 'failed' && this.state === 'joined') {
        this._emitError('connection_failed', `The ${which} media connection failed`, { pc: which });
      }
    };
    pc.oniceconnectionstatechange = () => this._emit('ice-connection-state', { pc: which, state: pc.iceConnectionState });
    return pc;
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

  _teardown(reason, message) {
    if (this.state === 'closed') return;
    this._setState('closed');
    if (this._pingTimer) clearInterval(this._pingTimer);
    for (const t of this._firstFramePollers) clearInterval(t);
    this._firstFramePollers.clear();
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
    this._emit('closed', { reason, message });
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
