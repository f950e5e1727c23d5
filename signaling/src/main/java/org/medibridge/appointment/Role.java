package org.medibridge.appointment;

import java.util.Locale;
import java.util.Optional;

/** Who someone is in an appointment. Only a doctor moderates. */
public enum Role {
    DOCTOR, PATIENT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromWire(String s) {
        if (s == null) {
            return Optional.empty();
        }
        return switch (s) {
            case "doctor" -> Optional.of(DOCTOR);
            case "patient" -> Optional.of(PATIENT);
            default -> Optional.empty();
        };
    }
}
