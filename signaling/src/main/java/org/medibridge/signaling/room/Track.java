package org.medibridge.signaling.room;

import org.medibridge.router.IncomingStream;
import org.medibridge.router.MediaKind;
import org.medibridge.router.SimulcastSource;

/** A track a participant publishes: one m-line of its publisher connection. */
final class Track {
    final String id;
    final Participant owner;
    final String publisherMid;
    final MediaKind kind;
    /** The track's RTP stream, or null for a simulcast track. */
    final IncomingStream stream;
    /** The track's simulcast layers (rid simulcast), or null for a plain track. */
    final SimulcastSource simulcast;

    Track(String id, Participant owner, String publisherMid, MediaKind kind, IncomingStream stream) {
        this(id, owner, publisherMid, kind, stream, null);
    }

    Track(String id, Participant owner, String publisherMid, MediaKind kind, IncomingStream stream,
          SimulcastSource simulcast) {
        this.id = id;
        this.owner = owner;
        this.publisherMid = publisherMid;
        this.kind = kind;
        this.stream = stream;
        this.simulcast = simulcast;
    }
}
