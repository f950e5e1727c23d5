/**
 * Offer/answer for the two peer connections of a participant (docs/protocol.md): the browser's
 * publisher offer is answered by {@link org.medibridge.signaling.negotiation.PublisherNegotiation};
 * the server's subscriber offers are built and the browser's answers checked by
 * {@link org.medibridge.signaling.negotiation.SubscriberNegotiation}. Always max-bundle, rtcp-mux,
 * DTLS-SRTP, Opus and VP8. Failures are {@link org.medibridge.signaling.negotiation.NegotiationException}
 * with a stable code. Descriptions are built as models and written by the SDP writer.
 */
package org.medibridge.signaling.negotiation;
