package org.medibridge.signaling.room;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.medibridge.signaling.api.ApiBackend;
import org.medibridge.signaling.SignalingException;
import org.medibridge.signaling.api.Presence;
import org.medibridge.signaling.api.RecordingApiBackend;

/**
 * The REST API's view of the rooms: each call runs on the appointment room's worker thread and
 * completes its future there. An appointment nobody joined has no room, so nobody is connected.
 */
public final class RoomApiBackend implements ApiBackend, RecordingApiBackend {
    private static final String BY_API = "api";
    private final RoomRegistry rooms;

    public RoomApiBackend(RoomRegistry rooms) {
        this.rooms = rooms;
    }

    @Override
    public CompletableFuture<List<Presence>> participants(String appointmentId) {
        return onRoom(appointmentId, List.of(), room -> room.present().stream().map(p -> new Presence(p.id,
                p.admitted ? Presence.State.ADMITTED : Presence.State.WAITING, p.joinedAt, p.stateSince,
                p.audioMutedByModerator, p.videoMutedByModerator)).toList());
    }

    @Override
    public CompletableFuture<Outcome> admit(String appointmentId, String participantId) {
        return onParticipant(appointmentId, participantId, (room, p) -> {
            if (p.admitted) {
                return p.isDoctor() ? Outcome.NOT_WAITING : Outcome.DONE;
            }
            room.admit(p, BY_API);
            return Outcome.DONE;
        });
    }

    @Override
    public CompletableFuture<Outcome> deny(String appointmentId, String participantId) {
        return onParticipant(appointmentId, participantId, (room, p) -> {
            if (p.admitted) {
                return Outcome.NOT_WAITING;
            }
            room.deny(p, BY_API);
            return Outcome.DONE;
        });
    }

    @Override
    public CompletableFuture<Outcome> remove(String appointmentId, String participantId) {
        return onParticipant(appointmentId, participantId, (room, p) -> {
            room.remove(p, BY_API);
            return Outcome.DONE;
        });
    }

    @Override
    public CompletableFuture<Outcome> mute(String appointmentId, String participantId, Boolean audio, Boolean video) {
        return onParticipant(appointmentId, participantId, (room, p) -> {
            room.setMuted(p, audio, video, BY_API);
            return Outcome.DONE;
        });
    }

    @Override
    public CompletableFuture<Void> close(String appointmentId, String reason) {
        return onRoom(appointmentId, null, room -> {
            if ("cancelled".equals(reason)) {
                room.cancelVisit();
            } else {
                room.endVisit(BY_API, "The visit was ended");
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<StartResult> request(String appointmentId) {
        return onRoom(appointmentId, StartResult.of(StartStatus.NOBODY_CONNECTED), room -> {
            try {
                RecordingSession s = room.requestRecording(null, BY_API);
                return StartResult.requested(s.id(), room.recordingWaitingFor());
            } catch (SignalingException e) {
                RecordingSession active = room.recording();
                return switch (e.code()) {
                    case "recording_active" -> StartResult.active(active.id(),
                            active.state().name().toLowerCase(java.util.Locale.ROOT));
                    case "recording_unavailable" -> StartResult.of(StartStatus.UNAVAILABLE);
                    default -> StartResult.of(StartStatus.NOBODY_CONNECTED);
                };
            }
        });
    }

    @Override
    public CompletableFuture<StopOutcome> stop(String appointmentId, String recordingId) {
        return onRoom(appointmentId, StopOutcome.NOT_ACTIVE, room -> {
            RecordingSession s = room.recording();
            if (s == null || !s.isActive() || !s.id().equals(recordingId)) {
                return StopOutcome.NOT_ACTIVE;
            }
            room.stopRecording("stopped", BY_API);
            return StopOutcome.STOPPED;
        });
    }

    private <T> CompletableFuture<T> onRoom(String appointmentId, T ifNoRoom, Function<Room, T> action) {
        Room room = rooms.appointmentRoom(appointmentId).orElse(null);
        if (room == null) {
            return CompletableFuture.completedFuture(ifNoRoom);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            room.execute(null, "api", () -> {
                try {
                    result.complete(action.apply(room));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                    throw e;
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private CompletableFuture<Outcome> onParticipant(String appointmentId, String participantId,
                                                     java.util.function.BiFunction<Room, Participant, Outcome> action) {
        return onRoom(appointmentId, Outcome.NOT_CONNECTED, room -> {
            Participant p = room.participant(participantId);
            return p == null ? Outcome.NOT_CONNECTED : action.apply(room, p);
        });
    }
}
