// Test harness for SDP acceptance checks: each function returns a string (SDP or JSON).
// Driven by Selenium (executeAsyncScript) or by harness.html's polling loop.
window.mb = (() => {
  const config = {bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require'};
  const events = [];
  const watchedStreams = new Set();
  let pub = null;
  let sub = null;

  function gathered(pc) {
    if (pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise(resolve => {
      const timer = setTimeout(resolve, 3000);
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') { clearTimeout(timer); resolve(); }
      });
    });
  }

  function transceivers(pc) {
    return pc.getTransceivers().map(t => ({
      mid: t.mid, direction: t.direction, currentDirection: t.currentDirection,
      kind: t.receiver.track.kind, receiverTrack: t.receiver.track.readyState,
    }));
  }

  return {
    userAgent() { return navigator.userAgent; },

    // mode: 'plain' or 'simulcast' (3 rid layers q/h/f on the video transceiver)
    async publisherOffer(mode) {
      if (pub) pub.close();
      pub = new RTCPeerConnection(config);
      const stream = await navigator.mediaDevices.getUserMedia(
          {audio: true, video: {width: 1280, height: 720}});
      pub.addTransceiver(stream.getAudioTracks()[0], {direction: 'sendonly', streams: [stream]});
      const init = {direction: 'sendonly', streams: [stream]};
      if (mode === 'simulcast') {
        init.sendEncodings = [{rid: 'q', scaleResolutionDownBy: 4}, {rid: 'h', scaleResolutionDownBy: 2}, {rid: 'f'}];
      }
      pub.addTransceiver(stream.getVideoTracks()[0], init);
      await pub.setLocalDescription(await pub.createOffer());
      await gathered(pub);
      return pub.localDescription.sdp;
    },

    async publisherAnswer(sdp) {
      await pub.setRemoteDescription({type: 'answer', sdp});
      return JSON.stringify({signalingState: pub.signalingState, transceivers: transceivers(pub)});
    },

    async subscriberOffer(sdp) {
      if (!sub) {
        sub = new RTCPeerConnection(config);
        sub.ontrack = e => {
          const mid = e.transceiver.mid;
          events.push('track ' + mid + ' ' + e.track.kind);
          e.track.addEventListener('ended', () => events.push('ended ' + mid));
          e.track.addEventListener('mute', () => events.push('mute ' + mid));
          for (const s of e.streams) {
            if (watchedStreams.has(s)) continue;
            watchedStreams.add(s);
            s.addEventListener('removetrack', ev => events.push('removetrack ' + ev.track.kind + ' of stream ' + s.id));
          }
        };
      }
      await sub.setRemoteDescription({type: 'offer', sdp});
      await sub.setLocalDescription(await sub.createAnswer());
      await gathered(sub);
      return sub.localDescription.sdp;
    },

    subscriberState() {
      return JSON.stringify({events, signalingState: sub.signalingState, transceivers: transceivers(sub)});
    },

    close() {
      if (pub) pub.close();
      if (sub) sub.close();
      pub = sub = null;
      return 'closed';
    },
  };
})();
