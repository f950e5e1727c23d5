package org.medibridge.router;

import java.nio.charset.StandardCharsets;
import org.medibridge.srtp.SrtpSession;

/**
 * The media side of one peer connection: its SRTP session, where its datagrams go, and the
 * streams it publishes or receives. A publisher endpoint receives RTP and is sent RTCP; a
 * subscriber endpoint is sent RTP and RTCP and sends back RTCP. Owned by the room's worker
 * thread; other threads reach it only through {@link MediaRoom#execute}.
 */
public final class MediaEndpoint {
    public enum Role { PUBLISHER, SUBSCRIBER }

    final String id;
    final Role role;
    final MediaRoom room;
    final DatagramSink sink;
    final HeaderExtensionIds extensionIds;
    /** SSRC the server uses as RTCP sender on this connection (RFC 3550 §6.4). */
    final long rtcpSsrc;
    final byte[] cname;

    SrtpSession srtp;
    boolean closed;

    /** Publisher: the streams it sends, by SSRC. */
    final SsrcMap<IncomingStream> incoming = new SsrcMap<>();
    /** Publisher: its rid-simulcast tracks, whose layer SSRCs are learnt from RTP. */
    SimulcastSource[] simulcastSources = new SimulcastSource[0];

    /** Subscriber: the legs sent to it, by their outgoing SSRC. */
    final SsrcMap<OutgoingStream> outgoing = new SsrcMap<>();

    /** Transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions §2). */
    int transportSequence;
    long nextReportNanos;

    final EndpointStats stats;

    MediaEndpoint(String id, Role role, MediaRoom room, DatagramSink sink, HeaderExtensionIds extensionIds,
                  long rtcpSsrc, String cname) {
        this.id = id;
        this.role = role;
        this.room = room;
        this.sink = sink;
        this.extensionIds = extensionIds;
        this.rtcpSsrc = rtcpSsrc;
        this.cname = cname.getBytes(StandardCharsets.US_ASCII);
        this.stats = new EndpointStats(room.worker().drops());
    }

    public String id() { return id; }
    public Role role() { return role; }
    public boolean isReady() { return srtp != null && !closed; }
    public EndpointStats stats() { return stats; }
    public long rtcpSsrc() { return rtcpSsrc; }
}
