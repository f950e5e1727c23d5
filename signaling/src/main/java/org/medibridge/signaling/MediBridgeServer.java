package org.medibridge.signaling;

import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medibridge.appointment.Appointment;
import org.medibridge.appointment.AppointmentIds;
import org.medibridge.appointment.AppointmentStore;
import org.medibridge.appointment.InMemoryAppointmentStore;
import org.medibridge.appointment.Person;
import org.medibridge.appointment.Role;
import org.medibridge.audit.AuditLog;
import org.medibridge.audit.FileAuditLog;
import org.medibridge.audit.NoopAuditLog;
import org.medibridge.signaling.api.ApiConfig;
import org.medibridge.signaling.api.AppointmentsApi;
import org.medibridge.recording.storage.RecordingKeys;
import org.medibridge.recordings.FileRecordingCatalog;
import org.medibridge.recordings.RecorderBackend;
import org.medibridge.signaling.room.JoinSettings;
import org.medibridge.signaling.room.RecordingBackend;
import org.medibridge.signaling.room.RoomApiBackend;
import org.medibridge.token.JwtJoinTokens;
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
    private final Clock clock = Clock.systemUTC();
    private final AppointmentStore appointments = new InMemoryAppointmentStore();
    private final AuditLog audit;
    private final JwtJoinTokens tokens;
    /** The REST API key: configured, generated in --dev, or null (API closed). */
    private final String apiKey;
    private final String publicUrl;
    private Appointment demoAppointment;
    private final FileRecordingCatalog recordingCatalog;
    private final RecorderBackend recorders;
    private final java.util.concurrent.ExecutorService apiExecutor;
    private final java.util.concurrent.atomic.AtomicReference<AppointmentsApi> apiHolder =
            new java.util.concurrent.atomic.AtomicReference<>();

    private MediBridgeServer(ServerConfig config) throws Exception {
        this.config = config;
        // jitsi-srtp benchmarks its AES providers on first use while holding a global lock: do it now.
        SrtpCrypto.initialize();
        DtlsCertificate certificate = DtlsCertificate.generate();
        pool = new PacketPool(16_384);
        // A handshake thread mostly waits for the peer's next flight (a round trip or a lost
        // packet's retransmission), so there are more of them than cores.
        dtlsPool = new DtlsHandshakePool("dtls", Math.max(8, 4 * Runtime.getRuntime().availableProcessors()), 1024);
        mediaPort = new MediaPort(InetAddress.getByName(config.bindAddress()), config.mediaPort(),
                config.advertisedAddress(), pool);
        workers = new MediaWorkers(Runtime.getRuntime().availableProcessors());
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "room-timer");
            t.setDaemon(true);
            return t;
        });
        audit = config.auditLog() != null ? FileAuditLog.open(Path.of(config.auditLog())) : NoopAuditLog.INSTANCE;
        // Without a configured secret, links are signed with one that lives as long as this process.
        tokens = JwtJoinTokens.fromConfig(config.jwtSecret() != null ? config.jwtSecret() : randomSecret(),
                config.jwtPublicKey());
        apiKey = config.apiKey() != null ? config.apiKey() : config.dev() ? randomSecret() : null;
        if (config.recordingsDir() != null) {
            recordingCatalog = FileRecordingCatalog.open(Path.of(config.recordingsDir()), clock);
            recorders = new RecorderBackend(recordingCatalog,
                    config.recordingKey() == null ? null : RecordingKeys.parse(config.recordingKey()));
        } else {
            recordingCatalog = null;
            recorders = null;
        }
        rooms = new RoomRegistry(workers, new IcePeerTransportFactory(mediaPort, certificate, dtlsPool),
                certificate.sha256Fingerprint(), timer, clock, appointments, audit,
                recorders != null ? recorders : RecordingBackend.UNAVAILABLE);
        JoinSettings joinSettings = new JoinSettings(config.dev(), tokens, appointments, clock, audit);
        // The join links need the HTTP port, which is only known once bound (0 = any, in tests):
        // the API reads the public URL through a holder set right after binding.
        apiExecutor = AppointmentsApi.newExecutor();
        http = new HttpServer(config.bindAddress(), config.httpPort(), new StaticFiles(),
                connection -> new ParticipantSession(connection, rooms, joinSettings),
                this::health, this::metrics, apiHolder::get);
        publicUrl = config.publicUrl() != null ? stripSlash(config.publicUrl())
                : "http://" + hostForUrl(config) + ":" + http.port();
        RoomApiBackend roomApi = new RoomApiBackend(rooms);
        apiHolder.set(new AppointmentsApi(new ApiConfig(apiKey, publicUrl), appointments, tokens, audit,
                roomApi, recordingCatalog != null ? roomApi : null, recordingCatalog, clock, apiExecutor));
        if (config.dev()) {
            demoAppointment = createDemoAppointment();
        }
        LOG.info("started: http {} media udp {} (advertised {})", http.port(), mediaPort.port(),
                config.advertisedAddress());
    }

    private static String randomSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String hostForUrl(ServerConfig config) {
        String bind = config.bindAddress();
        return bind.equals("0.0.0.0") || bind.equals("::") ? "localhost" : config.advertisedAddress();
    }

    /** --dev: a visit starting now, for an hour, with a doctor and a patient, to try the real flow. */
    private Appointment createDemoAppointment() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Appointment a = new Appointment("demo-" + AppointmentIds.generate(), now, now.plus(Duration.ofHours(1)),
                List.of(new Person("dr-demo", "Dr. Demo", Role.DOCTOR), new Person("patient-demo", "Pat Demo", Role.PATIENT)),
                Duration.ofMinutes(10), Duration.ofMinutes(15), true, Appointment.Status.SCHEDULED, now);
        appointments.create(a);
        audit.append("appointment_created", a.id(), Map.of("by", "dev"));
        return a;
    }

    /** The join link of {@code person} in {@code appointment}. */
    public String joinUrl(Appointment appointment, Person person) {
        return publicUrl + "/?token=" + tokens.mint(appointment, person);
    }

    public Optional<Appointment> demoAppointment() { return Optional.ofNullable(demoAppointment); }
    public Optional<String> apiKey() { return Optional.ofNullable(apiKey); }
    public String publicUrl() { return publicUrl; }
    public AppointmentStore appointments() { return appointments; }
    public JwtJoinTokens tokens() { return tokens; }

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
        b.append("# HELP medibridge_ice_restarts_total ICE restarts begun, by connection\n")
                .append("# TYPE medibridge_ice_restarts_total counter\n")
                .append("medibridge_ice_restarts_total{pc=\"publisher\"} ").append(rooms.iceRestarts(true)).append('\n')
                .append("medibridge_ice_restarts_total{pc=\"subscriber\"} ").append(rooms.iceRestarts(false)).append('\n');
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
        b.append("# HELP medibridge_worker_tasks_failed_total Room tasks that threw on a media worker (logged; the worker goes on)\n")
                .append("# TYPE medibridge_worker_tasks_failed_total counter\n");
        for (MediaWorker w : workers.all()) {
            b.append("medibridge_worker_tasks_failed_total{worker=\"").append(w.name()).append("\"} ")
                    .append(w.tasksFailed()).append('\n');
        }
        long nacks = 0;
        long recovered = 0;
        for (MediaWorker w : workers.all()) {
            nacks += w.nacksSent();
            recovered += w.rtxRecovered();
        }
        counter(b, "medibridge_publisher_nacks_total", "Sequence numbers NACKed to publishers", nacks);
        counter(b, "medibridge_publisher_rtx_recovered_total", "Lost publisher packets repaired by RTX", recovered);
        long keyframeRequests = 0;
        long layerUps = 0;
        long layerDowns = 0;
        for (MediaWorker w : workers.all()) {
            keyframeRequests += w.keyframeRequestsSent();
            layerUps += w.layerTargetUps();
            layerDowns += w.layerTargetDowns();
        }
        counter(b, "medibridge_publisher_keyframe_requests_total", "Keyframe requests (PLI) sent to publishers",
                keyframeRequests);
        b.append("# HELP medibridge_layer_target_changes_total Target layer changes the bandwidth allocator made on "
                        + "subscribers' simulcast tracks (up includes resume, down includes pause)\n")
                .append("# TYPE medibridge_layer_target_changes_total counter\n")
                .append("medibridge_layer_target_changes_total{direction=\"up\"} ").append(layerUps).append('\n')
                .append("medibridge_layer_target_changes_total{direction=\"down\"} ").append(layerDowns).append('\n');
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
        // Each worker's histogram is written only by its thread; the snapshot reads it slot by
        // slot (see LatencyHistogram), and the workers' histograms add up bucket by bucket.
        org.medibridge.router.LatencyHistogram.Snapshot latency = org.medibridge.router.LatencyHistogram.Snapshot.empty();
        for (MediaWorker w : workers.all()) {
            latency = latency.plus(w.forwardLatency().snapshot());
        }
        PrometheusHistogram.append(b, "medibridge_forward_latency_seconds",
                "Latency the server added per forwarded RTP packet and subscriber: receive (before the worker queue) to send",
                latency);
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
        apiExecutor.shutdownNow();
        if (recorders != null) {
            recorders.close();
        }
        audit.close();
    }
}
