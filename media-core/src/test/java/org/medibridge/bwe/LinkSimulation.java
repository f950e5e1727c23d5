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
 *       probe, a cluster of max(5 packets, 15 ms) at the probe rate, every packet marked probe,
 *       media paused meanwhile. Reports {@code limited = target < demand} to the estimator.</li>
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

    private record Sent(long sendNanos, long arrivalNanos, long knownAtNanos, boolean probe) { }

    private record Feedback(long deliverAtNanos, List<PacketResult> results) { }

    private final SendSideBandwidthEstimator estimator;
    private final LongUnaryOperator capacityAt;
    private final double randomLoss;
    private final long demandBps;
    private final Random random;

    private final ArrayDeque<Sent> unreported = new ArrayDeque<>();
    private final ArrayDeque<Feedback> inFlight = new ArrayDeque<>();
    private final List<Sample> trace = new ArrayList<>();
    private long linkFreeAt;
    private long nextMediaSend;
    private long clusterRateBps;
    private int clusterRemaining;
    private long clusterNextSend;
    private long nextFeedback = FEEDBACK_INTERVAL_NANOS;
    private long sent;
    private long lost;

    LinkSimulation(SendSideBandwidthEstimator estimator, LongUnaryOperator capacityAt,
                   double randomLoss, long demandBps, long seed) {
        this.estimator = estimator;
        this.capacityAt = capacityAt;
        this.randomLoss = randomLoss;
        this.demandBps = demandBps;
        this.random = new Random(seed);
    }

    List<Sample> run(long durationNanos) {
        for (long now = 0; now <= durationNanos; now += MS) {
            deliverFeedback(now);
            long probe = estimator.probeBitrateBps(now);
            if (probe > 0 && clusterRemaining == 0) {
                clusterRateBps = probe;
                long bits = PACKET_BYTES * 8L;
                clusterRemaining = (int) Math.max(ProbeController.CLUSTER_MIN_PACKETS,
                        Math.ceil(probe * (ProbeController.CLUSTER_DURATION_NANOS / 1e9) / bits));
                clusterNextSend = now;
            }
            while (clusterRemaining > 0 && clusterNextSend <= now) {
                send(clusterNextSend, true);
                clusterNextSend += PACKET_BYTES * 8L * SECOND / clusterRateBps;
                clusterRemaining--;
            }
            if (clusterRemaining > 0) {
                nextMediaSend = Math.max(nextMediaSend, clusterNextSend);
            } else {
                nextMediaSend = Math.max(nextMediaSend, clusterNextSend);
                long rate = Math.min(estimator.targetBitrateBps(), demandBps);
                while (nextMediaSend <= now) {
                    send(nextMediaSend, false);
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

    double lossRate() {
        return sent == 0 ? 0 : lost / (double) sent;
    }

    private void send(long sendNanos, boolean probe) {
        sent++;
        long serviceStart = Math.max(sendNanos, linkFreeAt);
        if (serviceStart - sendNanos > QUEUE_LIMIT_NANOS) {
            lost++;
            unreported.add(new Sent(sendNanos, PacketResult.NOT_RECEIVED,
                    sendNanos + QUEUE_LIMIT_NANOS + PROPAGATION_NANOS, probe));
            return;
        }
        linkFreeAt = serviceStart + PACKET_BYTES * 8L * SECOND / capacityAt.applyAsLong(serviceStart);
        long arrival = linkFreeAt + PROPAGATION_NANOS;
        if (random.nextDouble() < randomLoss) {
            lost++;
            unreported.add(new Sent(sendNanos, PacketResult.NOT_RECEIVED, arrival, probe));
        } else {
            unreported.add(new Sent(sendNanos, arrival, arrival, probe));
        }
    }

    private void buildFeedback(long receiverNow) {
        List<PacketResult> results = new ArrayList<>();
        while (!unreported.isEmpty() && unreported.peek().knownAtNanos() <= receiverNow) {
            Sent s = unreported.poll();
            results.add(new PacketResult(s.sendNanos(), s.arrivalNanos(), PACKET_BYTES, s.probe()));
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
