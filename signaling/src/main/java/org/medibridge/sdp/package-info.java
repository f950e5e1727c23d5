/**
 * Session descriptions as WebRTC uses them: RFC 8866 syntax with the attributes of JSEP
 * (RFC 8829), BUNDLE (RFC 8843), ICE (RFC 8839), DTLS (RFC 8842, RFC 8122), RTP header extensions
 * (RFC 8285), RTCP feedback (RFC 4585), source attributes (RFC 5576), msid (RFC 8830), rid
 * (RFC 8851) and simulcast (RFC 8853).
 * <p>
 * {@link org.medibridge.sdp.SdpParser} turns text into a mutable model
 * ({@link org.medibridge.sdp.SessionDescription}, {@link org.medibridge.sdp.MediaDescription},
 * {@link org.medibridge.sdp.Codec}); {@link org.medibridge.sdp.SdpWriter} writes it back in one
 * canonical order with CRLF. Parse → write → parse gives an equal model. Pure: no I/O, no threads.
 */
package org.medibridge.sdp;
