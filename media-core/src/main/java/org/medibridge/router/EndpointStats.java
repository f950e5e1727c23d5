package org.medibridge.router;

/**
 * Counters of one endpoint. Written only by the room's worker; read by metrics and tests from
 * other threads, where a slightly stale value is acceptable (hence volatile, not atomics).
 */
public final class EndpointStats {
    volatile long rtpReceived;
    volatile long rtcpReceived;
    volatile long rtpSent;
    volatile long rtcpSent;
    volatile long bytesSent;
    volatile long nacksReceived;
    volatile long retransmissions;
    /** Publisher: sequence numbers we asked it to retransmit (each request counted). */
    volatile long nacksSent;
    /** Retransmissions that went out on an RTX stream (a subset of {@link #retransmissions}). */
    volatile long rtxSent;
    volatile long probePacketsSent;
    volatile long probeBytesSent;
    volatile long probeClustersSent;
    volatile long keyframeRequestsReceived;
    volatile long keyframeRequestsSent;
    /** Subscriber: target layer changes the allocator made on its simulcast legs (resume/pause included). */
    volatile long layerTargetUps;
    volatile long layerTargetDowns;
    final DropCounters drops;

    EndpointStats(DropCounters totals) {
        this.drops = new DropCounters(totals);
    }

    public long rtpReceived() { return rtpReceived; }
    public long rtcpReceived() { return rtcpReceived; }
    public long rtpSent() { return rtpSent; }
    public long rtcpSent() { return rtcpSent; }
    public long bytesSent() { return bytesSent; }
    public long nacksReceived() { return nacksReceived; }
    public long retransmissions() { return retransmissions; }
    public long nacksSent() { return nacksSent; }
    public long rtxSent() { return rtxSent; }
    public long probePacketsSent() { return probePacketsSent; }
    public long probeBytesSent() { return probeBytesSent; }
    public long probeClustersSent() { return probeClustersSent; }
    public long keyframeRequestsReceived() { return keyframeRequestsReceived; }
    public long keyframeRequestsSent() { return keyframeRequestsSent; }
    public long layerTargetUps() { return layerTargetUps; }
    public long layerTargetDowns() { return layerTargetDowns; }
    public DropCounters drops() { return drops; }
}
