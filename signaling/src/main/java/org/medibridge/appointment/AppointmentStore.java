package org.medibridge.appointment;

import java.util.List;
import java.util.Optional;

/**
 * Where appointments live. In memory by default ({@link InMemoryAppointmentStore}); behind this
 * interface so that a shared store can back it when several nodes serve one clinic. All methods
 * are thread-safe and atomic.
 */
public interface AppointmentStore {
    /** Stores a new appointment; false (and nothing stored) when the id is taken. */
    boolean create(Appointment appointment);

    Optional<Appointment> get(String id);

    /** All appointments, ordered by start. */
    List<Appointment> list();

    /** Replaces the status; empty when the id is unknown. */
    Optional<Appointment> setStatus(String id, Appointment.Status status);

    /**
     * Replaces the status only if it is {@code expected} now (one atomic step): true when it
     * changed, false when the id is unknown or the status was another.
     */
    boolean compareAndSetStatus(String id, Appointment.Status expected, Appointment.Status next);

    /** Forgets an appointment and its removed participants (undoes a create); false if unknown. */
    boolean delete(String id);

    /** Remembers that a participant was removed: their token can never rejoin. */
    void markRemoved(String appointmentId, String participantId);

    boolean isRemoved(String appointmentId, String participantId);

    /** Forgets appointments whose room closed before {@code cutoff} (housekeeping). */
    int purgeClosedBefore(java.time.Instant cutoff);
}
