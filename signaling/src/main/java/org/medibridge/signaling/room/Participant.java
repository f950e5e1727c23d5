package org.medibridge.signaling.room;

import java.util.ArrayList;
import java.util.List;
import org.medibridge.router.MediaEndpoint;
import org.medibridge.sdp.SessionDescription;
import org.medibridge.signaling.ws.SignalingConnection;

/**
 * One person in a room, with the two peer connections of docs/ARCHITECTURE.md. All fields
 * except the volatile endpoint references belong to the room's worker thread.
 */
public final class Participant {
    final String id;
    final String name;
    /** DOCTOR or PATIENT in an appointment; null for a guest of an open (--dev) room. */
    final org.medibridge.appointment.Role role;
    /** In the call. A patient of an appointment waits (false) until the doctor admits them. */
    boolean admitted = true;
    java.time.Instant waitingSince;
    java.time.Instant joinedAt;
    /** When {@link #admitted} last changed (or the join). */
    java.time.Instant stateSince;
    /** Paused by the doctor (the server stops forwarding); the participant may unmute themselves. */
    boolean audioMutedByModerator;
    boolean videoMutedByModerator;
    final SignalingConnection connection;
    final Room room;
    boolean audioEnabled = true;
    boolean videoEnabled = true;
    boolean left;

    // Publisher connection: the browser offers, we answer.
    volatile PeerTransport publisherTransport;
    volatile MediaEndpoint publisherEndpoint;
    String publisherRemoteUfrag;
    /** The browser's ICE ufrag on the subscriber connection (changes with an ICE restart). */
    String subscriberRemoteUfrag;
    /** When this participant last asked for an ICE restart (System.nanoTime), per connection. */
    long lastPublisherIceRestartNanos;
    long lastSubscriberIceRestartNanos;
    final List<Track> tracks = new ArrayList<>();

    // Subscriber connection: we offer, the browser answers.
    volatile PeerTransport subscriberTransport;
    volatile MediaEndpoint subscriberEndpoint;
    boolean subscriberStarted;
    final List<SubscriberSlot> slots = new ArrayList<>();
    SessionDescription outstandingOffer;
    boolean renegotiationWanted;
    /** The subscriber connection was reset: the next offer tells the browser to start a new one. */
    boolean subscriberReset;
    boolean discardNextAnswer;
    long subscriberVersion;
    int nextMid;

    /** Connection quality, sampled once a second on the room's worker (see RoomPeriodicChecks#checkQuality). */
    final org.medibridge.router.ConnectionQualityMeter qualityMeter = new org.medibridge.router.ConnectionQualityMeter();
    /** The level last told to the room, or null before the first measurement. */
    org.medibridge.bwe.ConnectionQuality.Level qualityReported;
    /** Whether this participant has been sent the room's current qualities. */
    boolean qualityListReceived;

    Participant(String id, String name, org.medibridge.appointment.Role role, SignalingConnection connection, Room room) {
        this.id = id;
        this.name = name;
        this.role = role;
        this.connection = connection;
        this.room = room;
    }

    public String id() { return id; }
    public String name() { return name; }
    public boolean isDoctor() { return role == org.medibridge.appointment.Role.DOCTOR; }
    public boolean isAdmitted() { return admitted; }
    public Room room() { return room; }
}
