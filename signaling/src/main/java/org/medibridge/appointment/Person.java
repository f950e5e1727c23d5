package org.medibridge.appointment;

/** A person booked into an appointment: the booking system's id for them, a display name, a role. */
public record Person(String id, String name, Role role) {
}
