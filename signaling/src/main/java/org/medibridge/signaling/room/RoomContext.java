package org.medibridge.signaling.room;

/** What a room needs from the server around it. */
interface RoomContext {
    PeerTransportFactory transports();

    /** SHA-256 fingerprint of the server's DTLS certificate, in SDP form. */
    String fingerprint();

    /** Closes a transport off the worker thread (closing ICE may block briefly); null is ignored. */
    void closeLater(PeerTransport transport);

    /** The room has no one left; forget it. */
    void roomClosed(Room room);

    /** A datagram arrived before its endpoint existed. */
    void countEarlyPacket();

    /** An ICE restart began on one of the participants' connections. */
    void countIceRestart(boolean publisher);

    /** The clock of lifecycle decisions (injectable, so tests need no sleeps). */
    java.time.Clock clock();

    org.medibridge.appointment.AppointmentStore appointments();

    org.medibridge.audit.AuditLog audit();

    RecordingBackend recordings();
}
