package org.medibridge.router;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The leg's packet cache answers NACKs, at most once per resend interval per packet. */
class RetransmissionCacheTest {
    private static final long MS = 1_000_000L;

    @Test
    void aPacketIsResentAtMostOncePerIntervalAndAgainAfterIt() {
        RetransmissionCache cache = new RetransmissionCache(16, 1500, 3000);
        byte[] packet = {1, 2, 3, 4, 5};
        cache.store(7, packet, 0, packet.length, 1000 * MS);
        byte[] out = new byte[64];

        assertThat(cache.copy(7, out, 10, 1010 * MS, 100 * MS)).isEqualTo(5);
        assertThat(out[10]).isEqualTo((byte) 1);
        // The receiver NACKs again before the copy could have arrived: not resent.
        assertThat(cache.copy(7, out, 10, 1050 * MS, 100 * MS)).isEqualTo(RetransmissionCache.TOO_SOON);
        assertThat(cache.copy(7, out, 10, 1109 * MS, 100 * MS)).isEqualTo(RetransmissionCache.TOO_SOON);
        // A round trip later the copy was lost too: resent again.
        assertThat(cache.copy(7, out, 10, 1111 * MS, 100 * MS)).isEqualTo(5);
        // Unknown packets are unaffected.
        assertThat(cache.copy(8, out, 10, 1111 * MS, 100 * MS)).isEqualTo(-1);
        // A new packet in the same slot starts afresh.
        cache.store(7 + 16, packet, 0, packet.length, 1120 * MS);
        assertThat(cache.copy(7 + 16, out, 10, 1121 * MS, 100 * MS)).isEqualTo(5);
        assertThat(cache.copy(7, out, 10, 1300 * MS, 100 * MS)).isEqualTo(-1);
    }

    @Test
    void tooOldPacketsAreNotResent() {
        RetransmissionCache cache = new RetransmissionCache(16, 1500, 3000);
        byte[] packet = {1, 2, 3};
        cache.store(1, packet, 0, 3, 0);
        assertThat(cache.copy(1, new byte[8], 0, 3001 * MS, 100 * MS)).isEqualTo(-1);
    }
}
