package org.medibridge.appointment;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The validated body of {@code POST /api/v1/appointments}:
 * {@code {id?, start, end, doctor: {id, name}, patients: [{id, name}], earlyJoinMinutes?,
 * graceMinutes?, waitingRoom?}}. {@link #parse} checks everything before anything is stored, so a
 * refused request leaves nothing behind. The limits are documented in docs/api.md.
 *
 * @param id the requested id, or null to have one generated
 */
public record AppointmentRequest(String id, Instant start, Instant end, Person doctor, List<Person> patients,
                                 Duration earlyJoin, Duration grace, boolean waitingRoom) {

    /** Largest accepted request body (413 {@code body_too_large} above). */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    public static final int MAX_PATIENTS = 8;
    public static final int MAX_NAME_CODE_POINTS = 64;
    public static final int DEFAULT_EARLY_JOIN_MINUTES = 10;
    public static final int DEFAULT_GRACE_MINUTES = 15;
    public static final int MAX_EARLY_JOIN_OR_GRACE_MINUTES = 120;
    /** Longest visit: a consultation block, not a standing room. */
    public static final Duration MAX_DURATION = Duration.ofHours(12);
    /** Latest start: bookings more than a year (366 days, leap years included) ahead are refused. */
    public static final Duration MAX_LEAD_TIME = Duration.ofDays(366);

    private static final Set<String> FIELDS = Set.of("id", "start", "end", "doctor", "patients",
            "earlyJoinMinutes", "graceMinutes", "waitingRoom");
    private static final Set<String> PERSON_FIELDS = Set.of("id", "name");
    private static final int UNPROCESSABLE = JsonFields.UNPROCESSABLE;

    public AppointmentRequest {
        patients = List.copyOf(patients);
    }

    /**
     * Validates a parsed body at {@code now}. Throws {@link AppointmentException} (422, or 400 when
     * the body is not a JSON object) naming the first problem found.
     */
    public static AppointmentRequest parse(JsonNode body, Instant now) {
        if (body == null || !body.isObject()) {
            throw new AppointmentException(400, "invalid_body", "the body must be a JSON object");
        }
        JsonFields f = JsonFields.of(body, "", FIELDS);
        String id = null;
        JsonNode idNode = f.optional("id");
        if (idNode != null) {
            if (!idNode.isTextual()) {
                throw JsonFields.invalid("id", "must be a string");
            }
            id = checkId("id", idNode.textValue());
        }
        Instant start = f.requiredInstant("start");
        Instant end = f.requiredInstant("end");
        Person doctor = person(f.required("doctor"), "doctor", Role.DOCTOR);
        List<Person> patients = patients(f.required("patients"));
        int early = f.optionalMinutes("earlyJoinMinutes", DEFAULT_EARLY_JOIN_MINUTES, 0,
                MAX_EARLY_JOIN_OR_GRACE_MINUTES);
        int grace = f.optionalMinutes("graceMinutes", DEFAULT_GRACE_MINUTES, 0, MAX_EARLY_JOIN_OR_GRACE_MINUTES);
        boolean waitingRoom = f.optionalBoolean("waitingRoom", true);

        Set<String> ids = new HashSet<>();
        ids.add(doctor.id());
        for (Person p : patients) {
            if (!ids.add(p.id())) {
                throw new AppointmentException(UNPROCESSABLE, "duplicate_participant",
                        "participant id '" + p.id() + "' appears more than once");
            }
        }
        AppointmentRequest r = new AppointmentRequest(id, start, end, doctor, patients,
                Duration.ofMinutes(early), Duration.ofMinutes(grace), waitingRoom);
        r.checkWindow(now);
        return r;
    }

    private void checkWindow(Instant now) {
        if (!start.isBefore(end)) {
            throw new AppointmentException(UNPROCESSABLE, "start_not_before_end", "start must be before end");
        }
        if (Duration.between(start, end).compareTo(MAX_DURATION) > 0) {
            throw new AppointmentException(UNPROCESSABLE, "window_too_long",
                    "an appointment lasts at most " + MAX_DURATION.toHours() + " hours");
        }
        if (start.isAfter(now.plus(MAX_LEAD_TIME))) {
            throw new AppointmentException(UNPROCESSABLE, "start_too_far_ahead",
                    "start must be at most " + MAX_LEAD_TIME.toDays() + " days from now");
        }
        // A room that would already be closed could never be joined.
        if (!end.plus(grace).isAfter(now)) {
            throw new AppointmentException(UNPROCESSABLE, "window_in_past",
                    "the appointment is over: end + graceMinutes is not in the future");
        }
    }

    private static List<Person> patients(JsonNode node) {
        if (!node.isArray()) {
            throw JsonFields.invalid("patients", "must be an array");
        }
        if (node.size() > MAX_PATIENTS) {
            throw new AppointmentException(UNPROCESSABLE, "too_many_participants",
                    "at most " + MAX_PATIENTS + " patients per appointment, got " + node.size());
        }
        if (node.isEmpty()) {
            throw JsonFields.invalid("patients", "must name at least one patient");
        }
        List<Person> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(person(node.get(i), "patients[" + i + "]", Role.PATIENT));
        }
        return out;
    }

    private static Person person(JsonNode node, String where, Role role) {
        JsonFields f = JsonFields.of(node, where, PERSON_FIELDS);
        String id = checkId(f.path("id"), f.requiredString("id"));
        String name = checkName(f.path("name"), f.requiredString("name"));
        return new Person(id, name, role);
    }

    private static String checkId(String path, String id) {
        if (!AppointmentIds.isValid(id)) {
            throw new AppointmentException(UNPROCESSABLE, "invalid_id",
                    path + " must be 1-64 characters of A-Z a-z 0-9 _ . - (and not '.' or '..')");
        }
        return id;
    }

    /**
     * Trims; refuses empty, over-long, control and format characters (bidi overrides could make a
     * name display as another), lone surrogates, unassigned and private-use code points.
     */
    static String checkName(String path, String raw) {
        String name = raw.strip();
        if (name.isEmpty()) {
            throw new AppointmentException(UNPROCESSABLE, "invalid_name", path + " must not be empty");
        }
        if (name.codePointCount(0, name.length()) > MAX_NAME_CODE_POINTS) {
            throw new AppointmentException(UNPROCESSABLE, "invalid_name",
                    path + " must be at most " + MAX_NAME_CODE_POINTS + " characters");
        }
        // Zero-width (non-)joiners are FORMAT characters that Persian and Indic names need.
        boolean bad = name.codePoints().anyMatch(c -> c != 0x200C && c != 0x200D && switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.UNASSIGNED,
                    Character.PRIVATE_USE, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        });
        if (bad) {
            throw new AppointmentException(UNPROCESSABLE, "invalid_name",
                    path + " must not contain control, formatting or unassigned characters");
        }
        return name;
    }

    /** The appointment this request books, SCHEDULED, with {@code id} or a generated one. */
    public Appointment toAppointment(Instant createdAt) {
        List<Person> people = new ArrayList<>(patients.size() + 1);
        people.add(doctor);
        people.addAll(patients);
        return new Appointment(id != null ? id : AppointmentIds.generate(), start, end, people,
                earlyJoin, grace, waitingRoom, Appointment.Status.SCHEDULED, createdAt);
    }
}
