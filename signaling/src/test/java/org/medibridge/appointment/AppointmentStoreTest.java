package org.medibridge.appointment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class AppointmentStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");

    static Appointment appointment(String id, Instant start) {
        return new Appointment(id, start, start.plus(Duration.ofMinutes(30)),
                List.of(new Person("dr", "Dr. Who", Role.DOCTOR), new Person("p1", "Pat", Role.PATIENT)),
                Duration.ofMinutes(10), Duration.ofMinutes(15), true, Appointment.Status.SCHEDULED, T0);
    }

    private final InMemoryAppointmentStore store = new InMemoryAppointmentStore();

    @Test
    void createThenGetAndListOrderedByStart() {
        assertThat(store.create(appointment("b", T0.plusSeconds(3600)))).isTrue();
        assertThat(store.create(appointment("a", T0))).isTrue();
        assertThat(store.get("a")).get().extracting(Appointment::start).isEqualTo(T0);
        assertThat(store.get("zzz")).isEmpty();
        assertThat(store.list()).extracting(Appointment::id).containsExactly("a", "b");
    }

    @Test
    void duplicateIdIsRefusedAndTheFirstKept() {
        Appointment first = appointment("a", T0);
        assertThat(store.create(first)).isTrue();
        assertThat(store.create(appointment("a", T0.plusSeconds(60)))).isFalse();
        assertThat(store.get("a")).contains(first);
        assertThat(store.list()).hasSize(1);
    }

    @RepeatedTest(20)
    void concurrentCreatesOfOneIdExactlyOneWins() throws Exception {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Appointment a = appointment("same", T0.plusSeconds(i));
            results.add(pool.submit(() -> {
                go.await();
                return store.create(a);
            }));
        }
        go.countDown();
        int wins = 0;
        for (Future<Boolean> f : results) {
            wins += f.get(5, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();
        assertThat(wins).isEqualTo(1);
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void statusChanges() {
        store.create(appointment("a", T0));
        assertThat(store.setStatus("a", Appointment.Status.ENDED)).get()
                .extracting(Appointment::status).isEqualTo(Appointment.Status.ENDED);
        assertThat(store.setStatus("nope", Appointment.Status.ENDED)).isEmpty();
    }

    @Test
    void compareAndSetStatusOnlyFromTheExpectedStatus() {
        store.create(appointment("a", T0));
        assertThat(store.compareAndSetStatus("a", Appointment.Status.ENDED, Appointment.Status.CANCELLED)).isFalse();
        assertThat(store.compareAndSetStatus("a", Appointment.Status.SCHEDULED, Appointment.Status.CANCELLED)).isTrue();
        assertThat(store.compareAndSetStatus("a", Appointment.Status.SCHEDULED, Appointment.Status.ENDED)).isFalse();
        assertThat(store.get("a").orElseThrow().status()).isEqualTo(Appointment.Status.CANCELLED);
        assertThat(store.compareAndSetStatus("nope", Appointment.Status.SCHEDULED, Appointment.Status.ENDED)).isFalse();
    }

    @Test
    void removedParticipantsArePerAppointment() {
        store.create(appointment("a", T0));
        store.create(appointment("b", T0));
        store.markRemoved("a", "p1");
        assertThat(store.isRemoved("a", "p1")).isTrue();
        assertThat(store.isRemoved("a", "dr")).isFalse();
        assertThat(store.isRemoved("b", "p1")).isFalse();
        assertThat(store.isRemoved("unknown", "p1")).isFalse();
    }

    @Test
    void deleteForgetsTheAppointmentAndItsRemovals() {
        store.create(appointment("a", T0));
        store.markRemoved("a", "p1");
        assertThat(store.delete("a")).isTrue();
        assertThat(store.delete("a")).isFalse();
        assertThat(store.get("a")).isEmpty();
        store.create(appointment("a", T0));
        assertThat(store.isRemoved("a", "p1")).isFalse();
    }

    @Test
    void purgeForgetsOnlyRoomsClosedBeforeTheCutoff() {
        store.create(appointment("old", T0));                 // closes 09:45
        store.create(appointment("new", T0.plusSeconds(7200))); // closes 11:45
        store.markRemoved("old", "p1");
        assertThat(store.purgeClosedBefore(T0.plus(Duration.ofMinutes(46)))).isEqualTo(1);
        assertThat(store.list()).extracting(Appointment::id).containsExactly("new");
        assertThat(store.isRemoved("old", "p1")).isFalse();
    }
}
