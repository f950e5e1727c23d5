package org.medibridge.signaling.room;

import org.medibridge.router.IncomingStream;
import org.medibridge.router.MediaKind;

/** A track a participant publishes: one m-line of its publisher connection. */
final class Track {
    final String id;
    final Participant owner;
    final String publisherMid;
    final MediaKind kind;
    final IncomingStream stream;

    Track(String id, Participant owner, String publisherMid, MediaKind kind, IncomingStream stream) {
        this.id = id;
        this.owner = owner;
        this.publisherMid = publisherMid;
        this.kind = kind;
        this.stream = stream;
    }
}
