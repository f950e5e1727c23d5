package org.medibridge.router;

import java.util.ArrayList;
import java.util.List;
import org.medibridge.bwe.AllocatableTrack;
import org.medibridge.bwe.Allocation;
import org.medibridge.bwe.TrackAllocation;
import org.medibridge.simulcast.LayerSelector;

/**
 * Every {@link #INTERVAL_NANOS}, on the worker's tick, spreads a subscriber's bandwidth estimate
 * over the simulcast legs sent to it (two-phase: audio and the lowest layers first, then
 * upgrades by priority up to each leg's preferred layer) and sets each leg's target layer.
 * Plain (non-simulcast) legs cannot adapt and are left alone.
 */
final class LayerAllocation {
    static final long INTERVAL_NANOS = 100_000_000L;
    /** Share of the estimate that layers may use; the rest absorbs repairs, probes and keyframes. */
    static final long ALLOCATION_SHARE_PERCENT = 90;
    /** What an Opus stream costs, counted before any video (it is never paused). */
    private static final long AUDIO_BPS = 50_000;

    private LayerAllocation() {
    }

    static void onTick(MediaEndpoint ep, long nowNanos) {
        // Without simulcast legs there is nothing to adapt, and nothing is allocated on the tick.
        if (ep.allocator == null || ep.simulcastLegs == 0 || nowNanos - ep.nextAllocationNanos < 0) {
            return;
        }
        ep.nextAllocationNanos = nowNanos + INTERVAL_NANOS;
        List<OutgoingStream> legs = ep.outgoing.values();
        List<AllocatableTrack> tracks = new ArrayList<>(legs.size());
        boolean anySimulcast = false;
        for (OutgoingStream leg : legs) {
            if (leg.selector != null) {
                anySimulcast = true;
                tracks.add(new AllocatableTrack(Long.toString(leg.ssrc), MediaKind.VIDEO, 0,
                        leg.selector.preferredSpatial(), leg.selector.preferredTemporal(), layerRates(leg, nowNanos)));
            } else if (leg.source != null && leg.source.kind == MediaKind.AUDIO) {
                tracks.add(AllocatableTrack.audio(Long.toString(leg.ssrc), AUDIO_BPS));
            }
        }
        if (!anySimulcast) {
            return;
        }
        // Layers are chosen to fit 90 % of the estimate: a layer that needs the whole estimate
        // keeps the bottleneck queue full, and then every retransmission, probe or keyframe
        // burst becomes loss and a visible freeze.
        long budget = ep.estimator.targetBitrateBps() * ALLOCATION_SHARE_PERCENT / 100;
        Allocation a = ep.allocator.allocate(budget, tracks, nowNanos);
        for (OutgoingStream leg : legs) {
            if (leg.selector == null) {
                continue;
            }
            TrackAllocation t = a.track(Long.toString(leg.ssrc));
            int before = targetKey(leg.selector);
            if (t == null || t.paused()) {
                leg.selector.setTarget(LayerSelector.NONE, LayerSelector.NONE);
            } else {
                leg.selector.setTarget(t.spatial(), t.temporal());
            }
            countTargetChange(ep, before, targetKey(leg.selector));
        }
        ep.estimator.onAllocation(a.desiredBps(), a.limitedByEstimate(), nowNanos);

    }

    /** (spatial, temporal) of the leg's target as one comparable number; -1 when paused. */
    private static int targetKey(LayerSelector selector) {
        return selector.isPaused() ? -1 : selector.targetSpatial() << 8 | selector.targetTemporal();
    }

    static void countTargetChange(MediaEndpoint ep, int before, int after) {
        if (after > before) {
            ep.stats.layerTargetUps++;
            ep.room.worker().layerTargetUps.incrementAndGet();
        } else if (after < before) {
            ep.stats.layerTargetDowns++;
            ep.room.worker().layerTargetDowns.incrementAndGet();
        }
    }

    /** Measured cost of each (spatial, temporal) layer; 0 for a layer the publisher is not sending. */
    private static long[][] layerRates(OutgoingStream leg, long nowNanos) {
        SimulcastSource s = leg.simulcast;
        long[][] rates = new long[s.layerCount()][LayerSelector.MAX_TEMPORAL_LAYERS];
        for (int sp = 0; sp < rates.length; sp++) {
            if (!s.bitrates.isActive(sp, nowNanos)) {
                continue;
            }
            for (int t = 0; t < LayerSelector.MAX_TEMPORAL_LAYERS; t++) {
                rates[sp][t] = s.bitrates.cumulativeBitrate(sp, t, nowNanos);
            }
        }
        return rates;
    }
}
