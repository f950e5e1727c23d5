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
    private final IoLoop[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();

    LoadGenContext(int ioThreads, MediaProfile media) throws IOException {
        this.media = media;
        this.loops = new IoLoop[ioThreads];
        for (int i = 0; i < ioThreads; i++) {
            loops[i] = new IoLoop("loadgen-io-" + i);
        }
        // Handshakes block a thread while waiting for the server: a few threads, a long queue.
        this.dtlsPool = new DtlsHandshakePool("loadgen-dtls", 8, 10_000);
        this.scheduler = new SendScheduler();
    }

    IoLoop nextLoop() {
        return loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
    }

    @Override
    public void close() {
        scheduler.close();
        for (IoLoop l : loops) {
            l.close();
        }
        dtlsPool.close();
    }
}
