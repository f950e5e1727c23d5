package org.medibridge.signaling.room;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;
import org.medibridge.appointment.Appointment;
import org.medibridge.signaling.Messages;
import org.medibridge.token.JoinClaims;
import org.medibridge.token.JoinTokenPolicy;
import org.medibridge.token.TokenException;
import org.medibridge.signaling.SignalingException;
import org.medibridge.signaling.ws.SignalingConnection;
import org.medibridge.signaling.ws.SignalingSession;

/**
 * The signaling of one WebSocket (docs/protocol.md): validates each message on the Netty loop,
 * then hands the work to the room's thread. Errors go back as {@code error} messages; nothing a
 * client sends can stop the server or touch another room.
 */
public final class ParticipantSession implements SignalingSession {
    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final int MAX_NAME = 64;

    private final SignalingConnection connection;
    private final RoomRegistry rooms;
    private volatile Participant participant;
    private volatile boolean joining;
    private volatile boolean closed;

    private final JoinSettings settings;

    /** A session for open rooms only ({@code openRooms}) or none (tests). */
    public ParticipantSession(SignalingConnection connection, RoomRegistry rooms, boolean openRooms) {
        this(connection, rooms, new JoinSettings(openRooms, null, null, java.time.Clock.systemUTC(),
                org.medibridge.audit.NoopAuditLog.INSTANCE));
    }

    public ParticipantSession(SignalingConnection connection, RoomRegistry rooms, JoinSettings settings) {
        this.connection = connection;
        this.rooms = rooms;
        this.settings = settings;
    }

    @Override
    public void onMessage(String text) {
        String type = null;
        try {
            JsonNode msg;
            try {
                msg = SignalingConnection.JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw new SignalingException("bad_json", "Message is not valid JSON: " + e.getOriginalMessage());
            }
            if (msg == null || !msg.isObject()) {
                throw new SignalingException("bad_json", "A message must be a JSON object");
            }
            JsonNode t = msg.get("type");
            if (t == null || !t.isTextual()) {
                throw new SignalingException("unknown_type", "A message needs a string \"type\"");
            }
            type = t.asText();
            dispatch(type, msg);
        } catch (SignalingException e) {
            // requestType echoes protocol types only: an unknown type is raw client text of any
            // length and characters (its message already names it, abbreviated and sanitized).
            connection.send(Messages.error(e.code(), e.getMessage(), "unknown_type".equals(e.code()) ? null : type));
        }
    }

    private void dispatch(String type, JsonNode msg) {
        switch (type) {
            case "ping" -> connection.send(Messages.of("pong"));
            case "join" -> join(msg);
            case "offer" -> {
                Participant p = joined(type);
                requirePc(msg, "publisher", "offers come from the browser only on the publisher connection");
                String sdp = requireText(msg, "sdp", 60_000);
                p.room().execute(p, type, () -> p.room().onPublisherOffer(p, sdp));
            }
            case "answer" -> {
                Participant p = joined(type);
                requirePc(msg, "subscriber", "answers from the browser belong to the subscriber connection");
                String sdp = requireText(msg, "sdp", 60_000);
                p.room().execute(p, type, () -> p.room().onSubscriberAnswer(p, sdp));
            }
            case "candidate" -> {
                Participant p = joined(type);
                String pc = requireText(msg, "pc", 16);
                if (!pc.equals("publisher") && !pc.equals("subscriber")) {
                    throw new SignalingException("bad_request", "\"pc\" must be \"publisher\" or \"subscriber\"");
                }
                JsonNode c = msg.get("candidate");
                if (c != null && !c.isNull() && !c.isTextual()) {
                    throw new SignalingException("bad_request", "\"candidate\" must be a string");
                }
                String candidate = c == null || c.isNull() ? "" : c.asText();
                if (candidate.length() > 1024) {
                    throw new SignalingException("bad_candidate", "The candidate is too long");
                }
                p.room().execute(p, type, () -> p.room().onCandidate(p, pc, candidate));
            }
            case "ice-restart" -> {
                Participant p = joined(type);
                String pc = requireText(msg, "pc", 16);
                p.room().execute(p, type, () -> p.room().onIceRestartRequest(p, pc));
            }
            case "media-state" -> {
                Participant p = joined(type);
                boolean audio = requireBoolean(msg, "audio");
                boolean video = requireBoolean(msg, "video");
                p.room().execute(p, type, () -> p.room().setMediaState(p, audio, video));
            }
            case "admit", "deny", "remove", "mute" -> {
                Participant p = joined(type);
                String target = requireText(msg, "participantId", 64);
                Boolean audio = optionalBoolean(msg, "audio");
                Boolean video = optionalBoolean(msg, "video");
                p.room().execute(p, type, () -> p.room().moderate(p, type, target, audio, video, null));
            }
            case "lock" -> {
                Participant p = joined(type);
                boolean locked = requireBoolean(msg, "locked");
                p.room().execute(p, type, () -> p.room().moderate(p, type, null, null, null, locked));
            }
            case "auto-admit" -> {
                Participant p = joined(type);
                boolean enabled = requireBoolean(msg, "enabled");
                p.room().execute(p, type, () -> p.room().moderate(p, type, null, null, null, enabled));
            }
            case "end-visit" -> {
                Participant p = joined(type);
                p.room().execute(p, type, () -> p.room().moderate(p, type, null, null, null, null));
            }
            case "recording-request" -> {
                Participant p = joined(type);
                p.room().execute(p, type, () -> p.room().requestRecording(p, p.id()));
            }
            case "recording-stop" -> {
                Participant p = joined(type);
                p.room().execute(p, type, () -> {
                    if (!p.isDoctor()) {
                        throw new SignalingException("forbidden", "Only the doctor can stop the recording");
                    }
                    p.room().stopRecording("stopped", p.id());
                });
            }
            case "recording-consent" -> {
                Participant p = joined(type);
                String recordingId = requireText(msg, "recordingId", 64);
                boolean consent = requireBoolean(msg, "consent");
                p.room().execute(p, type, () -> p.room().onRecordingConsent(p, recordingId, consent));
            }
            case "render-size" -> {
                Participant p = joined(type);
                JsonNode tracks = msg.get("tracks");
                if (tracks == null || !tracks.isObject() || tracks.size() > 64) {
                    throw new SignalingException("bad_request", "\"tracks\" must be an object of at most 64 mids");
                }
                java.util.Map<String, int[]> sizes = new java.util.HashMap<>();
                var fields = tracks.fields();
                while (fields.hasNext()) {
                    var e = fields.next();
                    JsonNode t = e.getValue();
                    if (!t.isObject() || !t.path("width").canConvertToInt() || !t.path("height").canConvertToInt()) {
                        throw new SignalingException("bad_request", "each track needs integer \"width\" and \"height\"");
                    }
                    int w = Math.max(0, Math.min(16384, t.path("width").asInt()));
                    int h = Math.max(0, Math.min(16384, t.path("height").asInt()));
                    boolean visible = !t.has("visible") || t.path("visible").asBoolean(true);
                    sizes.put(e.getKey(), new int[] {w, h, visible ? 1 : 0});
                }
                p.room().execute(p, type, () -> p.room().onRenderSize(p, sizes));
            }
            case "leave" -> {
                Participant p = joined(type);
                p.room().execute(p, type, () -> p.room().leave(p, "left"));
                connection.close(1000, "left");
            }
            default -> throw new SignalingException("unknown_type", "Unknown message type \"" + abbreviate(type) + "\"");
        }
    }

    private void join(JsonNode msg) {
        if (participant != null || joining) {
            throw new SignalingException("already_joined", "This connection already joined a room");
        }
        JsonNode token = msg.get("token");
        if (token != null && !token.isNull()) {
            if (!token.isTextual() || token.asText().isEmpty() || token.asText().length() > 8192) {
                throw new SignalingException("token_malformed", "\"token\" must be the token of your visit link");
            }
            joinWithToken(token.asText(), msg);
            return;
        }
        if (!settings.openRooms()) {
            throw new SignalingException("not_allowed",
                    "Joining needs the token of a visit link (open rooms need --dev)");
        }
        String room = requireText(msg, "room", 64);
        if (!ROOM.matcher(room).matches()) {
            throw new SignalingException("bad_request", "\"room\" must be 1-64 characters of A-Z a-z 0-9 _ . -");
        }
        String name = requireText(msg, "name", MAX_NAME).strip();
        if (name.isEmpty() || name.chars().anyMatch(Character::isISOControl)) {
            throw new SignalingException("bad_request", "\"name\" must be 1-64 printable characters");
        }
        joining = true;
        rooms.joinOpen(room, name, connection, this::registered, () -> joining = false);
    }

    /** Verifies the token (never logged, never echoed) and joins the appointment it names. */
    private void joinWithToken(String token, JsonNode msg) {
        if (settings.tokens() == null) {
            throw new SignalingException("not_allowed", "This server has no token key configured");
        }
        JoinClaims claims;
        try {
            claims = settings.tokens().verify(token, settings.clock().instant());
        } catch (TokenException e) {
            audit("join_rejected", textOr(msg, "room", "-"), e.code());
            throw new SignalingException(e.code(), e.getMessage());
        }
        JsonNode requested = msg.get("room");
        String requestedRoom = requested != null && requested.isTextual() ? requested.asText() : null;
        java.util.Optional<Appointment> appointment = settings.appointments().get(claims.room());
        if (appointment.isEmpty() && requestedRoom == null) {
            audit("join_rejected", claims.room(), "appointment_not_found");
            throw new SignalingException("appointment_not_found", "This visit does not exist (any more)");
        }
        try {
            JoinTokenPolicy.check(claims, requestedRoom != null ? requestedRoom : claims.room(), appointment,
                    settings.appointments().isRemoved(claims.room(), claims.participantId()));
        } catch (TokenException e) {
            audit("join_rejected", claims.room(), e.code());
            throw new SignalingException(e.code(), e.getMessage());
        }
        joining = true;
        rooms.joinAppointment(appointment.get(), claims, connection, this::registered, () -> joining = false);
    }

    /** Runs inside the room's join, before "joined" is sent: a leave is queued after it. */
    private void registered(Participant p) {
        participant = p;
        if (closed) {
            p.room().execute(p, "leave", () -> p.room().leave(p, "disconnected"));
        }
    }

    private void audit(String event, String appointmentId, String reason) {
        settings.audit().append(event, appointmentId, java.util.Map.of("reason", reason));
    }

    private static String textOr(JsonNode msg, String field, String dflt) {
        JsonNode n = msg.get(field);
        return n != null && n.isTextual() && ROOM.matcher(n.asText()).matches() ? n.asText() : dflt;
    }

    private static Boolean optionalBoolean(JsonNode msg, String field) {
        JsonNode n = msg.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw new SignalingException("bad_request", "\"" + field + "\" must be true or false");
        }
        return n.asBoolean();
    }

    private Participant joined(String type) {
        Participant p = participant;
        if (p == null) {
            throw new SignalingException("not_joined", "Send \"join\" before \"" + type + "\"");
        }
        return p;
    }

    private static void requirePc(JsonNode msg, String expected, String why) {
        JsonNode pc = msg.get("pc");
        if (pc == null || !pc.isTextual() || !pc.asText().equals(expected)) {
            throw new SignalingException("bad_request", "\"pc\" must be \"" + expected + "\": " + why);
        }
    }

    private static String requireText(JsonNode msg, String field, int maxLength) {
        JsonNode n = msg.get(field);
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            throw new SignalingException("bad_request", "\"" + field + "\" must be a non-empty string");
        }
        if (n.asText().length() > maxLength) {
            throw new SignalingException("bad_request", "\"" + field + "\" is longer than " + maxLength + " characters");
        }
        return n.asText();
    }

    private static boolean requireBoolean(JsonNode msg, String field) {
        JsonNode n = msg.get(field);
        if (n == null || !n.isBoolean()) {
            throw new SignalingException("bad_request", "\"" + field + "\" must be true or false");
        }
        return n.asBoolean();
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("[^\\x20-\\x7E]", "?");
        return clean.length() > 40 ? clean.substring(0, 40) + "…" : clean;
    }

    @Override
    public void onProtocolError(String code, String message) {
        connection.send(Messages.error(code, message, null));
    }

    @Override
    public void onClose() {
        closed = true;
        Participant p = participant;
        if (p != null) {
            p.room().execute(p, "leave", () -> p.room().leave(p, "disconnected"));
        }
    }
}
