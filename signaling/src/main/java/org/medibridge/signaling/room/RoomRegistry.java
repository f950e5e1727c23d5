package org.medibridge.signaling.room;

import java.util.Map;
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
        @Override public void roomClosed(Room room) { rooms.remove(room.id(), room); }
        @Override public void countEarlyPacket() { earlyPackets.incrementAndGet(); }
    };

    public RoomRegistry(MediaWorkers workers, PeerTransportFactory transports, String fingerprint,
                        ScheduledExecutorService timer) {
        this.workers = workers;
        this.transports = transports;
        this.fingerprint = fingerprint;
        this.timer = timer;
        timer.scheduleWithFixedDelay(this::checkTimeouts, 5, 5, TimeUnit.SECONDS);
    }

    /**
     * Joins {@code roomId}; the result arrives asynchronously (a {@code joined} message, or an
     * error) and {@code onJoined} runs on the room's thread with the new participant, before its
     * {@code joined} message is sent.
     */
    public void join(String roomId, String name, SignalingConnection connection,
                     java.util.function.Consumer<Participant> onJoined, Runnable onRefused) {
        Room room = rooms.computeIfAbsent(roomId, id -> new Room(id, workers.pick(), context));
        Participant p = new Participant(Room.newParticipantId(), name, connection, room);
        room.execute(p, "join", () -> {
            boolean joined;
            try {
                joined = room.join(p, onJoined);
            } catch (RuntimeException e) {
                onRefused.run(); // e.g. room_full: the socket may try again
                throw e;
            }
            if (!joined) {
                join(roomId, name, connection, onJoined, onRefused); // the room closed just now: use a fresh one
            }
        });
    }

    private void checkTimeouts() {
        checkTimeouts(System.nanoTime());
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
