package org.nabla.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The worker gets every job, also one offered while it still holds the job before it (all chunks claimed). */
class SpinningWorkersTest {
    /** Generous: the worker only has to be scheduled once; reaching it means the job never reached the worker. */
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(20);

    @Test
    void backToBackJobsEachReachTheWorker() {
        SpinningWorkers workers = new SpinningWorkers(1);
        Thread caller = Thread.currentThread();
        for (int rep = 0; rep < 500; rep++) {
            AtomicBoolean workerTookOne = new AtomicBoolean();
            boolean[] waitedInVain = {false};
            // Two chunks: the caller claims the first and waits there until another thread has claimed the second,
            // which only the worker can do (the caller is busy); so the job returns only if it reached the worker.
            workers.run(2, 2, (from, to) -> {
                if (Thread.currentThread() != caller) {
                    workerTookOne.set(true);
                    return;
                }
                long giveUp = System.nanoTime() + GIVE_UP_NANOS;
                while (!workerTookOne.get()) {
                    if (System.nanoTime() > giveUp) {
                        waitedInVain[0] = true;
                        return;
                    }
                    Thread.onSpinWait();
                }
            });
            assertTrue(!waitedInVain[0], "job " + rep + " never reached the worker");
        }
    }
}
