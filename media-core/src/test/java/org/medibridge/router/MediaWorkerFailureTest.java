package org.medibridge.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A worker thread serves every room placed on it: a task that throws, even an Error (a
 * LinkageError from a mismatched deployment was seen to kill a worker and with it every room
 * on it), is logged and counted, and the next task runs.
 */
class MediaWorkerFailureTest {

    @Test
    void aTaskThatThrowsAnErrorDoesNotStopTheWorker() throws Exception {
        try (MediaWorker worker = new MediaWorker("failure-test")) {
            worker.execute(() -> {
                throw new NoSuchMethodError("deployed against another version");
            });
            worker.execute(() -> {
                throw new IllegalStateException("a room's bug");
            });
            CountDownLatch ran = new CountDownLatch(1);
            worker.execute(ran::countDown);
            assertThat(ran.await(10, TimeUnit.SECONDS)).as("a later task still runs").isTrue();
            assertThat(worker.tasksFailed()).isEqualTo(2);
        }
    }
}
