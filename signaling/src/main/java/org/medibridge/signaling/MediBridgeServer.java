package org.medibridge.signaling;

import java.net.InetAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.medibridge.buffer.PacketPool;
import org.medibridge.dtls.DtlsCertificate;
import org.medibridge.dtls.DtlsHandshakePool;
import org.medibridge.ice.MediaPort;
import org.medibridge.router.MediaWorker;
import org.medibridge.router.MediaWorkers;
import org.medibridge.signaling.http.HttpServer;
import org.medibridge.signaling.http.StaticFiles;
import org.medibridge.signaling.room.IcePeerTransportFactory;
import org.medibridge.signaling.room.ParticipantSession;
import org.medibridge.signaling.room.RoomRegistry;
import org.medibridge.srtp.SrtpCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the server together; no logic of its own. Close it to stop everything. */
public final class MediBridgeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediBridgeServer.class);

    private final ServerConfig config;
    private final PacketPool pool;
    private final DtlsHandshakePool dtlsPool;
    private final MediaPort mediaPort;
    private final MediaWorkers workers;
    private final ScheduledExecutorService timer;
    private final RoomRegistry rooms;
    private final HttpServer http;

    private MediBridgeServer(ServerConfig config) throws Exception {
        this.config = config;
        // jitsi-srtp benchmarks its AES providers on first use while holding a global lock: do it now.
        SrtpCrypto.initialize();
        DtlsCertificate certificate = DtlsCertificate.generate();
        pool = new PacketPool(16_384);
        dtlsPool = new DtlsHandshakePool("dtls", Math.max(2, Runtime.getRuntime().availableProcessors()), 1024);
        mediaPort = new MediaPort(InetAddress.getByName(config.bindAddress()), config.mediaPort(),
                config.advertisedAddress(), pool);
        workers = new MediaWorkers(Runtime.getRuntime().availableProcessors());
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "room-timer");
            t.setDaemon(true);
            return t;
        });
        rooms = new RoomRegistry(workers, new IcePeerTransportFactory(mediaPort, certificate, dtlsPool),
                certificate.sha256Fingerprint(), timer);
        http = new HttpServer(config.bindAddress(), config.httpPort(), new StaticFiles(),
                connection -> new ParticipantSession(connection, rooms, config.dev()),
                this::health, this::metrics);
        LOG.info("started: http {} media udp {} (advertised {})", http.port(), mediaPort.port(),
                config.advertisedAddress());
    }

    public static MediBridgeServer start(ServerConfig config) throws Exception {
        return new MediBridgeServer(config);
    }

    public int httpPort() { return http.port(); }
    public int mediaPort() { return mediaPort.port(); }
    public ServerConfig config() { return config; }
    public RoomRegistry rooms() { return rooms; }
    public PacketPool packetPool() { return pool; }

    String health() {
        return "{\"status\":\"ok\",\"rooms\":" + rooms.roomCount() + ",\"participants\":" + rooms.participantCount() + "}";
    }

    String metrics() {
        StringBuilder b = new StringBuilder();
        gauge(b, "medibridge_rooms", "Rooms with at least one participant", rooms.roomCount());
        gauge(b, "medibridge_participants", "Participants connected", rooms.participantCount());
        gauge(b, "medibridge_packet_buffers_outstanding", "Pooled packet buffers in use", pool.outstanding());
        counter(b, "medibridge_early_packets_total", "Datagrams that arrived before their endpoint existed",
                rooms.earlyPackets());
        b.append("# HELP medibridge_worker_packets_total Packets processed per media worker\n")
                .append("# TYPE medibridge_worker_packets_total counter\n");
        for (MediaWorker w : workers.all()) {
            b.append("medibridge_worker_packets_total{worker=\"").append(w.name()).append("\"} ")
                    .append(w.packetsProcessed()).append('\n');
        }
        b.append("# HELP medibridge_worker_queue_full_drops_total Packets dropped because a worker queue was full\n")
                .append("# TYPE medibridge_worker_queue_full_drops_total counter\n");
        for (MediaWorker w : workers.all()) {
            b.append("medibridge_worker_queue_full_drops_total{worker=\"").append(w.name()).append("\"} ")
                    .append(w.queueFullDrops()).append('\n');
        }
        b.append("# HELP medibridge_media_drops_total Packets the media path dropped, by reason\n")
                .append("# TYPE medibridge_media_drops_total counter\n");
        for (org.medibridge.router.DropReason reason : org.medibridge.router.DropReason.values()) {
            long n = 0;
            for (MediaWorker w : workers.all()) {
                n += w.drops().get(reason);
            }
            b.append("medibridge_media_drops_total{reason=\"").append(reason.name().toLowerCase(java.util.Locale.ROOT))
                    .append("\"} ").append(n).append('\n');
        }
        b.append("# HELP medibridge_media_port_drops_total Datagrams the media port dropped, by reason\n")
                .append("# TYPE medibridge_media_port_drops_total counter\n");
        mediaPort.drops().forEach((reason, n) -> b.append("medibridge_media_port_drops_total{reason=\"")
                .append(reason.name().toLowerCase(java.util.Locale.ROOT)).append("\"} ").append(n).append('\n'));
        return b.toString();
    }

    private static void gauge(StringBuilder b, String name, String help, long v) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(v).append('\n');
    }

    private static void counter(StringBuilder b, String name, String help, long v) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(v).append('\n');
    }

    @Override
    public void close() {
        http.close();
        rooms.close();
        timer.shutdownNow();
        workers.close();
        mediaPort.close();
        dtlsPool.close();
    }
}
