package org.medibridge.signaling.negotiation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.medibridge.sdp.SdpWriter;
import org.medibridge.sdp.SessionDescription;

/**
 * Mutated real offers and answers: negotiation may only fail with NegotiationException, and an
 * answer it produces must always be writable and parse again.
 */
class NegotiationFuzzTest {
    private static final int ITERATIONS = 5_000;
    private static final String ALPHABET = "0123456789abcxyz:=/; -\r\n";

    @Test
    void publisherOffers() {
        for (String browser : List.of(Fixtures.CHROMIUM, Fixtures.FIREFOX)) {
            String offer = Fixtures.sdp(browser + "-offer.sdp");
            Random random = new Random(browser.hashCode());
            for (int i = 0; i < ITERATIONS; i++) {
                String mutated = mutate(offer, random);
                try {
                    PublisherAnswer a = PublisherNegotiation.answer(mutated, Fixtures.LOCAL);
                    PublisherNegotiation.parse(SdpWriter.write(a.answer()));
                } catch (NegotiationException expected) {
                    // fine: a stable code
                } catch (RuntimeException e) {
                    throw new AssertionError(browser + " iteration " + i + " threw " + e + " for:\n" + mutated, e);
                }
            }
        }
    }

    @Test
    void subscriberAnswers() {
        SessionDescription offer = SubscriberNegotiation.offer(Fixtures.LOCAL, 1, Fixtures.SUBSCRIBER_TRACKS_1);
        for (String browser : List.of(Fixtures.CHROMIUM, Fixtures.FIREFOX)) {
            String answer = Fixtures.sdp(browser + "-subscriber-answer.sdp");
            Random random = new Random(browser.hashCode());
            for (int i = 0; i < ITERATIONS; i++) {
                String mutated = mutate(answer, random);
                try {
                    SubscriberNegotiation.acceptAnswer(offer, mutated);
                } catch (NegotiationException expected) {
                    // fine: a stable code
                } catch (RuntimeException e) {
                    throw new AssertionError(browser + " iteration " + i + " threw " + e + " for:\n" + mutated, e);
                }
            }
        }
    }

    /** Drops, duplicates or swaps lines, or changes a character. */
    private static String mutate(String sdp, Random r) {
        List<String> lines = new ArrayList<>(Arrays.asList(sdp.split("\r\n")));
        for (int n = 1 + r.nextInt(3); n > 0; n--) {
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
                default -> {
                    String l = lines.get(i);
                    if (l.length() > 2) {
                        int p = 2 + r.nextInt(l.length() - 2);
                        lines.set(i, l.substring(0, p) + ALPHABET.charAt(r.nextInt(ALPHABET.length())) + l.substring(p + 1));
                    }
                }
            }
            if (lines.isEmpty()) {
                return "";
            }
        }
        return String.join("\r\n", lines) + "\r\n";
    }
}
