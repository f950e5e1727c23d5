package org.medibridge.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random mutations of real offers: the parser may only ever throw SdpParseException, and whatever
 * it accepts must survive write → parse unchanged.
 */
class SdpFuzzTest {
    private static final int ITERATIONS = 20_000;
    private static final String ALPHABET = "0123456789abcxyzAZ:=/;* -.\r\n\t\0\u00e9\u00a0\u001f\u2028\u000b";
    private static final String[] TOKENS = {"0", "-1", "65536", "4294967296", "99999999999999999999", "", " ",
            "a=", "m=", "a=rtpmap:", "a=fmtp:", "a=ssrc:", "a=extmap:", "a=candidate:", "/", ":", ";", "=", "*"};

    @ParameterizedTest
    @ValueSource(strings = {SdpResources.CHROMIUM_OFFER, SdpResources.FIREFOX_OFFER,
            SdpResources.CHROMIUM_SIMULCAST_OFFER})
    void mutationsOnlyEverThrowSdpParseException(String name) {
        String original = SdpResources.read(name);
        long seed = name.hashCode();
        Random random = new Random(seed);
        int accepted = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            String mutated = mutate(original, random, 1 + random.nextInt(4));
            SessionDescription parsed;
            try {
                parsed = SdpParser.parse(mutated);
            } catch (SdpParseException expected) {
                continue;
            } catch (Throwable t) {
                throw new AssertionError("iteration " + i + " (seed " + seed + ") threw " + t + " for:\n" + mutated, t);
            }
            accepted++;
            try {
                SessionDescription again = SdpParser.parse(SdpWriter.write(parsed));
                if (!again.equals(parsed)) {
                    fail("iteration " + i + ": round trip changed the model for:\n" + mutated + "\nwritten:\n"
                            + SdpWriter.write(parsed));
                }
            } catch (SdpParseException e) {
                fail("iteration " + i + ": the written form does not parse (" + e.getMessage() + ") for:\n" + mutated);
            }
        }
        // Most single mutations land in tolerated places (values of unknown attributes, candidates).
        assertThat(accepted).isBetween(1, ITERATIONS - 1);
    }

    private static String mutate(String sdp, Random r, int count) {
        String s = sdp;
        for (int n = 0; n < count; n++) {
            int pos = s.isEmpty() ? 0 : r.nextInt(s.length());
            switch (r.nextInt(8)) {
                case 0 -> s = s.substring(0, pos) + s.substring(Math.min(s.length(), pos + 1 + r.nextInt(3)));
                case 1 -> s = s.substring(0, pos) + ALPHABET.charAt(r.nextInt(ALPHABET.length())) + s.substring(pos);
                case 2 -> s = s.isEmpty() ? s : s.substring(0, pos) + ALPHABET.charAt(r.nextInt(ALPHABET.length()))
                        + s.substring(pos + 1);
                case 3 -> s = s.substring(0, pos) + TOKENS[r.nextInt(TOKENS.length)] + s.substring(pos);
                case 4 -> s = s.substring(0, pos);
                default -> s = mutateLines(s, r);
            }
        }
        return s;
    }

    /** Deletes, duplicates or swaps whole lines, or replaces a number in one. */
    private static String mutateLines(String s, Random r) {
        List<String> lines = new ArrayList<>(Arrays.asList(s.split("\r\n", -1)));
        if (lines.size() < 2) {
            return s;
        }
        int i = r.nextInt(lines.size());
        int j = r.nextInt(lines.size());
        switch (r.nextInt(4)) {
            case 0 -> lines.remove(i);
            case 1 -> lines.add(j, lines.get(i));
            case 2 -> {
                String t = lines.get(i);
                lines.set(i, lines.get(j));
                lines.set(j, t);
            }
            default -> lines.set(i, lines.get(i).replaceFirst("[0-9]+", TOKENS[r.nextInt(5)]));
        }
        return String.join("\r\n", lines);
    }
}
