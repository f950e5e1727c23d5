package org.medibridge.loadgen;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.medibridge.dtls.DtlsCertificate;
import org.medibridge.dtls.DtlsHandshakePool;

/** What all emulated participants share: I/O threads, the send thread, DTLS identity and pool. */
final class LoadGenContext implements AutoCloseable {
    final DtlsCertificate certificate = DtlsCertificate.generate();
    final DtlsHandshakePool dtlsPool;
    final SendScheduler scheduler;
    final MediaProfile media;
    /** {width, height} every subscriber reports for every remote video, or null (no render-size). */
    final int[] renderSize;
    /** Signaling keep-alive pings (the server closes a WebSocket idle for a minute or so). */
    final java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "loadgen-timer");
        t.setDaemon(true);
        return t;
    });
    private final IoLoop[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();

    LoadGenContext(int ioThreads, MediaProfile media, int[] renderSize) throws IOException {
        this.media = media;
        this.renderSize = renderSize;
        this.loops = new IoLoop[ioThreads];
        for (int i = 0; i < ioThreads; i++) {
            loops[i] = new IoLoop("loadgen-io-" + i);
        }
        // BouncyCastle's handshake blocks its thread while waiting for the server. A browser sends
        // its ClientHello the moment ICE connects; so must we, or a handshake the server already
        // started (holding one of its few DTLS threads) waits for a ClientHello stuck in our
        // queue behind handshakes that wait for the server: a cross wait until both time out.
        // So: a thread per concurrent handshake (idle threads exit after 30 s).
        this.dtlsPool = new DtlsHandshakePool("loadgen-dtls", 512, 10_000);
        this.scheduler = new SendScheduler();
    }

    IoLoop nextLoop() {
        return loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
    }

    @Override
    public void close() {
        scheduler.close();
        timer.shutdownNow();
        for (IoLoop l : loops) {
            l.close();
        }
        dtlsPool.close();
    }
}
