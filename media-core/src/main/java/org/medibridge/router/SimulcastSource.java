package org.medibridge.router;

import java.nio.charset.StandardCharsets;

/**
 * A video track a publisher sends as rid simulcast (RFC 8853): up to three encodings, lowest
 * first, each its own RTP stream whose SSRC is learnt from the {@code rtp-stream-id} header
 * extension (RFC 8852) of its first packet. Owned by the room's worker thread.
 */
public final class SimulcastSource {
    final MediaEndpoint publisher;
    final String trackId;
    final MediaKind kind;
    final int payloadType;
    final int clockRate;
    /** rid of each layer, as bytes to compare with the extension without allocating. */
    final byte[][] rids;
    /** The layer streams, null until their first packet arrives. */
    final IncomingStream[] layers;
    /** Measured bitrate per (spatial, temporal) layer, for the allocator. */
    final org.medibridge.simulcast.LayerBitrates bitrates = new org.medibridge.simulcast.LayerBitrates();
    /** Loss repair of every layer ({@link MediaRoom#setRepair}); layers' RTX SSRCs are learnt from RTP. */
    boolean nackEnabled;
    int rtxPayloadType = -1;
    /** Paused by a moderator: layers learnt later start paused too. */
    boolean paused;
    /** Taps (the recorder) get the highest layer seen so far. */
    MediaTap[] taps = new MediaTap[0];
    /** Legs receive from every layer; their selector picks what goes out. */
    OutgoingStream[] legs = new OutgoingStream[0];

    SimulcastSource(MediaEndpoint publisher, String trackId, MediaKind kind, int payloadType, int clockRate,
                    java.util.List<String> rids) {
        this.publisher = publisher;
        this.trackId = trackId;
        this.kind = kind;
        this.payloadType = payloadType;
        this.clockRate = clockRate;
        this.rids = new byte[rids.size()][];
        for (int i = 0; i < rids.size(); i++) {
            this.rids[i] = rids.get(i).getBytes(StandardCharsets.US_ASCII);
        }
        this.layers = new IncomingStream[rids.size()];
    }

    /** The layer whose rid equals {@code buf[off, off+len)}, or -1. */
    int layerOf(byte[] buf, int off, int len) {
        for (int i = 0; i < rids.length; i++) {
            if (java.util.Arrays.equals(rids[i], 0, rids[i].length, buf, off, off + len)) {
                return i;
            }
        }
        return -1;
    }

    public String trackId() { return trackId; }

    /** The highest layer whose stream has appeared, or -1. */
    int topLayer() {
        for (int i = layers.length - 1; i >= 0; i--) {
            if (layers[i] != null) {
                return i;
            }
        }
        return -1;
    }
    public org.medibridge.simulcast.LayerBitrates bitrates() { return bitrates; }
    public int layerCount() { return rids.length; }

    /** The stream of {@code layer}, or null when none of its packets arrived yet. */
    public IncomingStream layer(int layer) { return layers[layer]; }
}
