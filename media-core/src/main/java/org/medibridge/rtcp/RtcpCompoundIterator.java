package org.medibridge.rtcp;

/**
 * Walks the packets of a compound RTCP datagram (RFC 3550 §6.1). {@link #reset} validates the
 * whole compound before anything is read: every packet has version 2, fits the datagram, and the
 * packets cover it exactly. A compound that fails is dropped whole, as RFC 3550 §A.2 suggests
 * ("the packet MUST be discarded" when the lengths do not add up). Reusable, allocation-free.
 */
public final class RtcpCompoundIterator {
    private byte[] buf;
    private int end;
    private int next;
    private int current = -1;
    private int currentLength;

    /** Returns false when the bytes are not a valid compound; the caller counts the drop. */
    public boolean reset(byte[] buf, int off, int len) {
        this.buf = null;
        current = -1;
        if (buf == null || off < 0 || len < RtcpHeader.LENGTH || off > buf.length - len) {
            return false;
        }
        int end = off + len;
        int p = off;
        while (p < end) {
            if (end - p < RtcpHeader.LENGTH || RtcpHeader.version(buf, p) != 2) {
                return false;
            }
            int plen = RtcpHeader.packetLength(buf, p);
            if (plen > end - p) {
                return false;
            }
            if (RtcpHeader.hasPadding(buf, p)) {
                // RFC 3550 §6.4.1: the last octet is the padding count and includes itself.
                int padding = buf[p + plen - 1] & 0xFF;
                if (padding == 0 || padding > plen - RtcpHeader.LENGTH) {
                    return false;
                }
            }
            p += plen;
        }
        this.buf = buf;
        this.end = end;
        this.next = off;
        return true;
    }

    /** Moves to the next packet; false after the last one. */
    public boolean next() {
        if (buf == null || next >= end) {
            current = -1;
            return false;
        }
        current = next;
        currentLength = RtcpHeader.packetLength(buf, current);
        next = current + currentLength;
        return true;
    }

    public byte[] buffer() { return buf; }
    public int packetType() { return RtcpHeader.packetType(buf, current); }
    /** The count / FMT field. */
    public int fmt() { return RtcpHeader.count(buf, current); }
    /** Absolute offset of the current packet's header. */
    public int packetOffset() { return current; }
    /** Length of the current packet in bytes, header and padding included. */
    public int packetLength() { return currentLength; }
}
