package org.medibridge.appointment;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default {@link AppointmentStore}: two concurrent maps. Every operation is a single atomic
 * map operation (putIfAbsent, computeIfPresent, remove), so no lock is held across calls and a
 * create either stores the whole appointment or nothing.
 */
public final class InMemoryAppointmentStore implements AppointmentStore {
    private static final Comparator<Appointment> BY_START =
            Comparator.comparing(Appointment::start).thenComparing(Appointment::id);

    private final ConcurrentHashMap<String, Appointment> appointments = new ConcurrentHashMap<>();
    /** Removed participant ids per appointment id. */
    private final ConcurrentHashMap<String, Set<String>> removed = new ConcurrentHashMap<>();

    @Override
    public boolean create(Appointment appointment) {
        if (appointments.putIfAbsent(appointment.id(), appointment) != null) {
            return false;
        }
        // A leftover set from an appointment purged under the same id must not carry over.
        removed.remove(appointment.id());
        return true;
    }

    @Override
    public Optional<Appointment> get(String id) {
        return Optional.ofNullable(appointments.get(id));
    }

    @Override
    public List<Appointment> list() {
        return appointments.values().stream().sorted(BY_START).toList();
    }

    @Override
    public Optional<Appointment> setStatus(String id, Appointment.Status status) {
        return Optional.ofNullable(appointments.computeIfPresent(id, (k, a) -> a.withStatus(status)));
    }

    @Override
    public boolean compareAndSetStatus(String id, Appointment.Status expected, Appointment.Status next) {
        boolean[] swapped = new boolean[1];
        appointments.computeIfPresent(id, (k, a) -> {
            if (a.status() != expected) {
                return a;
            }
            swapped[0] = true;
            return a.withStatus(next);
        });
        return swapped[0];
    }

    @Override
    public boolean delete(String id) {
        removed.remove(id);
        return appointments.remove(id) != null;
    }

    @Override
    public void markRemoved(String appointmentId, String participantId) {
        removed.computeIfAbsent(appointmentId, k -> ConcurrentHashMap.newKeySet()).add(participantId);
    }

    @Override
    public boolean isRemoved(String appointmentId, String participantId) {
        Set<String> s = removed.get(appointmentId);
        return s != null && s.contains(participantId);
    }

    @Override
    public int purgeClosedBefore(Instant cutoff) {
        int n = 0;
        for (Appointment a : appointments.values()) {
            if (a.closesAt().isBefore(cutoff) && appointments.remove(a.id(), a)) {
                removed.remove(a.id());
                n++;
            }
        }
        return n;
    }
}
