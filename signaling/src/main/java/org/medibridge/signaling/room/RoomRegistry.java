package org.medibridge.signaling.room;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.medibridge.appointment.Appointment;
import org.medibridge.appointment.AppointmentStore;
import org.medibridge.appointment.Role;
import org.medibridge.audit.AuditLog;
import org.medibridge.token.JoinClaims;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.medibridge.router.MediaWorkers;
import org.medibridge.signaling.ws.SignalingConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms of this server, in memory. A room is created by its first join and freed when its
 * last participant leaves. Each room is pinned to one media worker for its whole life.
 */
public final class RoomRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoomRegistry.class);

    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final MediaWorkers workers;
    private final PeerTransportFactory transports;
    private final String fingerprint;
    private final ScheduledExecutorService timer;
    /** Closes transports off the media threads; bounded, like every hand-off. */
    private final ExecutorService closer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(10_000), r -> {
                Thread t = new Thread(r, "transport-closer");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.CallerRunsPolicy());
    private final AtomicLong earlyPackets = new AtomicLong();
    private final AtomicLong publisherIceRestarts = new AtomicLong();
    private final AtomicLong subscriberIceRestarts = new AtomicLong();

    private final RoomContext context = new RoomContext() {
        @Override public PeerTransportFactory transports() { return transports; }
        @Override public String fingerprint() { return fingerprint; }
        @Override public void closeLater(PeerTransport t) {
            if (t != null) {
                closer.execute(() -> {
                    try {
                        t.close();
                    } catch (RuntimeException e) {
                        LOG.debug("closing a transport failed", e);
                    }
                });
            }
        }
        @Override public void roomClosed(Room room) { rooms.remove(room.key(), room); }
        @Override public void countEarlyPacket() { earlyPackets.incrementAndGet(); }
        @Override public void countIceRestart(boolean publisher) {
            (publisher ? publisherIceRestarts : subscriberIceRestarts).incrementAndGet();
        }
        @Override public Clock clock() { return clock; }
        @Override public AppointmentStore appointments() { return appointments; }
        @Override public AuditLog audit() { return audit; }
        @Override public RecordingBackend recordings() { return recordings; }
    };

    private final Clock clock;
    private final AppointmentStore appointments;
    private final AuditLog audit;
    private final RecordingBackend recordings;

    /** Open rooms only (no appointments), the system clock, no audit trail: for tests. */
    public RoomRegistry(MediaWorkers workers, PeerTransportFactory transports, String fingerprint,
                        ScheduledExecutorService timer) {
        this(workers, transports, fingerprint, timer, Clock.systemUTC(),
                new org.medibridge.appointment.InMemoryAppointmentStore(), org.medibridge.audit.NoopAuditLog.INSTANCE);
    }

    public RoomRegistry(MediaWorkers workers, PeerTransportFactory transports, String fingerprint,
                        ScheduledExecutorService timer, Clock clock, AppointmentStore appointments, AuditLog audit) {
        this(workers, transports, fingerprint, timer, clock, appointments, audit, RecordingBackend.UNAVAILABLE);
    }

    public RoomRegistry(MediaWorkers workers, PeerTransportFactory transports, String fingerprint,
                        ScheduledExecutorService timer, Clock clock, AppointmentStore appointments, AuditLog audit,
                        RecordingBackend recordings) {
        this.recordings = recordings;
        this.clock = clock;
        this.appointments = appointments;
        this.audit = audit;
        this.workers = workers;
        this.transports = transports;
        this.fingerprint = fingerprint;
        this.timer = timer;
        timer.scheduleWithFixedDelay(this::checkTimeouts, 5, 5, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(this::checkQuality, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Joins the open (--dev) room {@code roomId} as a guest; the result arrives asynchronously (a
     * {@code joined} message, or an error). {@code onJoined} runs on the room's thread with the new
     * participant, before its {@code joined} message is sent; {@code onRefused} when it is refused.
     */
    public void joinOpen(String roomId, String name, SignalingConnection connection,
                         Consumer<Participant> onJoined, Runnable onRefused) {
        join("open:" + roomId, roomId, null, Room.newParticipantId(), name, null, connection, onJoined, onRefused);
    }

    /** Joins an appointment's room as the participant its verified token names. */
    public void joinAppointment(Appointment appointment, JoinClaims claims, SignalingConnection connection,
                                Consumer<Participant> onJoined, Runnable onRefused) {
        join("appt:" + appointment.id(), appointment.id(), appointment, claims.participantId(), claims.name(),
                claims.role(), connection, onJoined, onRefused);
    }

    private void join(String key, String roomId, Appointment appointment, String participantId, String name,
                      Role role, SignalingConnection connection, Consumer<Participant> onJoined, Runnable onRefused) {
        Room room = rooms.computeIfAbsent(key, k -> new Room(roomId, k, workers.pick(), context, appointment));
        Participant p = new Participant(participantId, name, role, connection, room);
        room.execute(p, "join", () -> {
            boolean joined;
            try {
                joined = room.join(p, onJoined);
            } catch (RuntimeException e) {
                onRefused.run(); // e.g. room_full: the socket may try again
                throw e;
            }
            if (!joined) { // the room closed just now: use a fresh one
                join(key, roomId, appointment, participantId, name, role, connection, onJoined, onRefused);
            }
        });
    }

    /** The room of an appointment, if anyone is (or recently was) in it. */
    public Optional<Room> appointmentRoom(String appointmentId) {
        return Optional.ofNullable(rooms.get("appt:" + appointmentId));
    }

    private void checkTimeouts() {
        checkTimeouts(System.nanoTime());
        checkLifecycle(clock.instant());
    }

    /** Posts the appointment lifecycle check (warning, closing, freeing empty rooms) to every room. */
    void checkLifecycle(java.time.Instant now) {
        for (Room r : rooms.values()) {
            try {
                r.execute(null, "lifecycle", () -> r.checkLifecycle(now));
            } catch (IllegalStateException e) {
                LOG.warn("room {}: could not schedule the lifecycle check: {}", r.id(), e.getMessage());
            }
        }
    }

    /** Posts the once-a-second connection quality sample to every room. */
    void checkQuality() {
        long now = System.nanoTime();
        for (Room r : rooms.values()) {
            try {
                r.execute(null, "quality", () -> r.checkQuality(now));
            } catch (IllegalStateException e) {
                LOG.debug("room {}: could not schedule the quality sample: {}", r.id(), e.getMessage());
            }
        }
    }

    /** Posts the inactivity check, as of {@code now}, to every room (tests pass a future time). */
    void checkTimeouts(long now) {
        for (Room r : rooms.values()) {
            try {
                r.execute(null, "timeouts", () -> r.checkTimeouts(now));
            } catch (IllegalStateException e) {
                LOG.warn("room {}: could not schedule the timeout check: {}", r.id(), e.getMessage());
            }
        }
    }

    public int roomCount() { return rooms.size(); }

    public int participantCount() {
        return rooms.values().stream().mapToInt(Room::participantCount).sum();
    }

    public long earlyPackets() { return earlyPackets.get(); }

    /** ICE restarts begun since start, on publisher (true) or subscriber connections. */
    public long iceRestarts(boolean publisher) {
        return (publisher ? publisherIceRestarts : subscriberIceRestarts).get();
    }

    @Override
    public void close() {
        closer.shutdown();
        try {
            closer.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
