package org.medibridge.bwe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongUnaryOperator;

/**
 * A deterministic one-bottleneck link driving a {@link SendSideBandwidthEstimator}, for replayed
 * feedback traces without sockets.
 *
 * <ul>
 *   <li>Sender: 1200-byte packets paced at min(target, demand); when the estimator asks for a
 *       probe, a cluster scheduled by {@link ProbeCluster} (as the router's pacer does) of
 *       {@code probePacketBytes}-byte packets at the probe rate, every packet marked with the
 *       cluster's id, media paused meanwhile; packets due within one 1 ms step leave together.
 *       Reports {@code limited = target < demand} to the estimator.</li>
 *   <li>Bottleneck: FIFO served at capacity C(t); drop-tail when the queue would delay a packet
 *       more than {@link #QUEUE_LIMIT_NANOS}; then optional random loss; 20 ms propagation.</li>
 *   <li>Receiver: transport-cc feedback every 50 ms covering, in send order, every packet whose
 *       fate is known; it reaches the sender 20 ms later.</li>
 * </ul>
 * Time advances in 1 ms ticks; one {@link Random} with a fixed seed makes a run repeatable.
 */
final class LinkSimulation {
    static final int PACKET_BYTES = 1200;
    static final long MS = 1_000_000L;
    static final long SECOND = 1_000_000_000L;
    static final long PROPAGATION_NANOS = 20 * MS;
    static final long QUEUE_LIMIT_NANOS = 300 * MS;
    static final long FEEDBACK_INTERVAL_NANOS = 50 * MS;

    /** One sample of the trace, every 100 ms. */
    record Sample(long timeNanos, long targetBps, long capacityBps) {
        double seconds() {
            return timeNanos / 1e9;
        }
    }

    private record Sent(long sendNanos, long arrivalNanos, long knownAtNanos, int size, int probeCluster) { }

    private record Feedback(long deliverAtNanos, List<PacketResult> results) { }

    private final SendSideBandwidthEstimator estimator;
    private final LongUnaryOperator capacityAt;
    private final double randomLoss;
    private final long demandBps;
    private final Random random;
    private final int probePacketBytes;
    private final ProbeCluster cluster = new ProbeCluster();
    private long probePackets;
    private boolean probing = true;

    private final ArrayDeque<Sent> unreported = new ArrayDeque<>();
    private final ArrayDeque<Feedback> inFlight = new ArrayDeque<>();
    private final List<Sample> trace = new ArrayList<>();
    private long linkFreeAt;
    private long nextMediaSend;
    private long nextFeedback = FEEDBACK_INTERVAL_NANOS;
    private long sent;
    private long lost;

    LinkSimulation(SendSideBandwidthEstimator estimator, LongUnaryOperator capacityAt,
                   double randomLoss, long demandBps, long seed) {
        this(estimator, capacityAt, randomLoss, demandBps, seed, PACKET_BYTES);
    }

    LinkSimulation(SendSideBandwidthEstimator estimator, LongUnaryOperator capacityAt,
                   double randomLoss, long demandBps, long seed, int probePacketBytes) {
        this.probePacketBytes = probePacketBytes;
        this.estimator = estimator;
        this.capacityAt = capacityAt;
        this.randomLoss = randomLoss;
        this.demandBps = demandBps;
        this.random = new Random(seed);
    }

    List<Sample> run(long durationNanos) {
        for (long now = 0; now <= durationNanos; now += MS) {
            deliverFeedback(now);
            if (probing && !cluster.active()) {
                long probe = estimator.probeBitrateBps(now);
                if (probe > 0) {
                    cluster.start(probe, probePacketBytes, now);
                }
            }
            for (int n = cluster.due(now); n > 0; n--) {
                send(now, probePacketBytes, cluster.id());
                cluster.onSent();
                probePackets++;
            }
            if (cluster.active()) {
                nextMediaSend = Math.max(nextMediaSend, cluster.nextSendNanos());
            } else {
                nextMediaSend = Math.max(nextMediaSend, now);
                long rate = Math.min(estimator.targetBitrateBps(), demandBps);
                while (nextMediaSend <= now) {
                    send(nextMediaSend, PACKET_BYTES, PacketResult.NOT_PROBE);
                    nextMediaSend += PACKET_BYTES * 8L * SECOND / rate;
                }
            }
            if (now >= nextFeedback) {
                buildFeedback(now);
                nextFeedback += FEEDBACK_INTERVAL_NANOS;
            }
            if (now % (100 * MS) == 0) {
                trace.add(new Sample(now, estimator.targetBitrateBps(), capacityAt.applyAsLong(now)));
            }
        }
        return trace;
    }

    /** A sender that never asks for probes (as the router does without RTX). */
    LinkSimulation withoutProbing() {
        probing = false;
        return this;
    }

    long probePackets() {
        return probePackets;
    }

    double lossRate() {
        return sent == 0 ? 0 : lost / (double) sent;
    }

    private void send(long sendNanos, int size, int probeCluster) {
        sent++;
        long serviceStart = Math.max(sendNanos, linkFreeAt);
        if (serviceStart - sendNanos > QUEUE_LIMIT_NANOS) {
            lost++;
            unreported.add(new Sent(sendNanos, PacketResult.NOT_RECEIVED,
                    sendNanos + QUEUE_LIMIT_NANOS + PROPAGATION_NANOS, size, probeCluster));
            return;
        }
        linkFreeAt = serviceStart + size * 8L * SECOND / capacityAt.applyAsLong(serviceStart);
        long arrival = linkFreeAt + PROPAGATION_NANOS;
        if (random.nextDouble() < randomLoss) {
            lost++;
            unreported.add(new Sent(sendNanos, PacketResult.NOT_RECEIVED, arrival, size, probeCluster));
        } else {
            unreported.add(new Sent(sendNanos, arrival, arrival, size, probeCluster));
        }
    }

    private void buildFeedback(long receiverNow) {
        List<PacketResult> results = new ArrayList<>();
        while (!unreported.isEmpty() && unreported.peek().knownAtNanos() <= receiverNow) {
            Sent s = unreported.poll();
            results.add(new PacketResult(s.sendNanos(), s.arrivalNanos(), s.size(), s.probeCluster()));
        }
        if (!results.isEmpty()) {
            inFlight.add(new Feedback(receiverNow + PROPAGATION_NANOS, results));
        }
    }

    private void deliverFeedback(long now) {
        while (!inFlight.isEmpty() && inFlight.peek().deliverAtNanos() <= now) {
            Feedback f = inFlight.poll();
            estimator.onPacketResults(f.results(), now);
            long target = estimator.targetBitrateBps();
            estimator.onAllocation(demandBps, target < demandBps, now);
        }
    }
}
