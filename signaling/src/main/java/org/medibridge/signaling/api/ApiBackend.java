package org.medibridge.signaling.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the REST API needs from the rooms. The room side implements it (a room's state belongs to
 * its media worker, so each call posts a task there and completes the future from it); the API
 * never blocks a Netty event loop on these futures. Every call comes from the API (the clinic's
 * booking system): the room side appends its own audit events (admitted, denied, removed, muted)
 * with {@code by=api}. An appointment whose room does not exist (nobody joined yet) has nobody
 * connected.
 */
public interface ApiBackend {

    /** Outcome of a moderation call. */
    enum Outcome {
        /** Done (or already so: admitting an admitted participant is DONE). */
        DONE,
        /** The participant has no live connection to the room. */
        NOT_CONNECTED,
        /** Admit or deny of a participant who is not waiting (e.g. deny after admit, the doctor). */
        NOT_WAITING
    }

    /** Who is connected to the appointment's room now, waiting or admitted; empty if no room. */
    CompletableFuture<List<Presence>> participants(String appointmentId);

    /** Lets a waiting participant into the call. */
    CompletableFuture<Outcome> admit(String appointmentId, String participantId);

    /** Turns a waiting participant away (disconnected with reason {@code denied}; may try again). */
    CompletableFuture<Outcome> deny(String appointmentId, String participantId);

    /**
     * Disconnects a participant with reason {@code removed}. The API has already marked them
     * removed in the AppointmentStore, so their token cannot rejoin; NOT_CONNECTED is fine here.
     */
    CompletableFuture<Outcome> remove(String appointmentId, String participantId);

    /**
     * Server-side mute: {@code true} stops forwarding that kind of the participant's media and
     * tells their client, {@code false} lifts the mute, {@code null} leaves it as it is.
     */
    CompletableFuture<Outcome> mute(String appointmentId, String participantId, Boolean audio, Boolean video);

    /**
     * Closes the room: everyone connected is disconnected with {@code reason} ("cancelled" or
     * "ended"). The store already has the new status, so no one can join again. Completes when
     * done; completes normally when there is no room.
     */
    CompletableFuture<Void> close(String appointmentId, String reason);
}
