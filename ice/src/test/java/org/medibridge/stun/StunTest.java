package org.medibridge.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.IceControllingAttribute;
import org.ice4j.attribute.PriorityAttribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.attribute.XorMappedAddressAttribute;
import org.ice4j.message.Message;
import org.junit.jupiter.api.Test;

/** Our STUN messages, decoded by an independent implementation (ice4j, which checks FINGERPRINT). */
class StunTest {
    private static final byte[] TID = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

    @Test
    void bindingRequestDecodesWithIceAttributesAndValidIntegrity() throws Exception {
        byte[] out = new byte[512];
        int n = new Stun().bindingRequest(out, TID, "srv1:lg22", "remotePassword123456789", 1862270975L, true,
                0x0102030405060708L, true);
        Message m = Message.decode(out, 0, n); // throws on a wrong FINGERPRINT

        assertThat(m.getMessageType()).isEqualTo(Message.BINDING_REQUEST);
        assertThat(m.getTransactionID()).isEqualTo(TID);
        assertThat(new String(((UsernameAttribute) m.getAttribute(Attribute.USERNAME)).getUsername(), StandardCharsets.UTF_8))
                .isEqualTo("srv1:lg22");
        assertThat(((PriorityAttribute) m.getAttribute(Attribute.PRIORITY)).getPriority()).isEqualTo(1862270975L);
        assertThat(((IceControllingAttribute) m.getAttribute(Attribute.ICE_CONTROLLING)).getTieBreaker())
                .isEqualTo(0x0102030405060708L);
        assertThat(m.getAttribute(Attribute.USE_CANDIDATE)).isNotNull();
        assertThat(Stun.hasUseCandidate(out, 0, n)).isTrue();
        assertIntegrity(out, n, "remotePassword123456789");
    }

    @Test
    void controlledRequestHasNoUseCandidate() throws Exception {
        byte[] out = new byte[512];
        int n = new Stun().bindingRequest(out, TID, "a:b", "pw", 1, false, 7, false);
        Message m = Message.decode(out, 0, n);
        assertThat(m.getAttribute(Attribute.ICE_CONTROLLED)).isNotNull();
        assertThat(m.getAttribute(Attribute.USE_CANDIDATE)).isNull();
        assertThat(Stun.hasUseCandidate(out, 0, n)).isFalse();
    }

    @Test
    void successResponseEchoesTransactionAndXorMappedAddress() throws Exception {
        byte[] req = new byte[512];
        Stun stun = new Stun();
        stun.bindingRequest(req, TID, "a:b", "pw", 1, true, 7, true);
        byte[] out = new byte[512];
        InetSocketAddress from = new InetSocketAddress("127.0.0.1", 40123);
        int n = stun.bindingSuccess(out, req, 0, from, "localPassword");
        Message m = Message.decode(out, 0, n);

        assertThat(m.getMessageType()).isEqualTo(Message.BINDING_SUCCESS_RESPONSE);
        assertThat(m.getTransactionID()).isEqualTo(TID);
        XorMappedAddressAttribute xor = (XorMappedAddressAttribute) m.getAttribute(Attribute.XOR_MAPPED_ADDRESS);
        assertThat(xor.getAddress(TID).getAddress()).isEqualTo(from.getAddress());
        assertThat(xor.getAddress(TID).getPort()).isEqualTo(40123);
        assertIntegrity(out, n, "localPassword");
    }

    /**
     * RFC 8489 §14.5: HMAC-SHA1 (key = the password) over the message up to MESSAGE-INTEGRITY,
     * with the header length counting up to the end of MESSAGE-INTEGRITY. It is followed by the
     * 8-byte FINGERPRINT, so it sits at n − 8 − 24.
     */
    private static void assertIntegrity(byte[] msg, int n, String password) throws Exception {
        int mi = n - 8 - 24;
        assertThat(((msg[mi] & 0xFF) << 8) | (msg[mi + 1] & 0xFF)).isEqualTo(0x0008);
        byte[] covered = Arrays.copyOf(msg, mi);
        int len = mi - 20 + 24;
        covered[2] = (byte) (len >>> 8);
        covered[3] = (byte) len;
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        assertThat(Arrays.copyOfRange(msg, mi + 4, mi + 24)).isEqualTo(mac.doFinal(covered));
    }
}
