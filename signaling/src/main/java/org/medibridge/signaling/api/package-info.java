/**
 * The appointments REST API under {@code /api/v1/} (docs/api.yaml, docs/api.md): JSON over HTTP
 * on the signaling server's port, authenticated with {@code Authorization: Bearer <key>}.
 * <p>
 * {@link org.medibridge.signaling.api.AppointmentsApi} holds the routes and rules, free of Netty;
 * {@link org.medibridge.signaling.api.ApiHandler} is the per-connection pipeline handler;
 * {@link org.medibridge.signaling.api.ApiBackend} is what the API asks of the rooms, implemented on
 * the room side. Appointments themselves live in {@link org.medibridge.appointment}.
 */
package org.medibridge.signaling.api;
