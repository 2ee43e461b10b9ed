package org.nabla.nn.summary;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer process killed with SIGKILL while it writes leaves only whole records (at most a cut last one); one that
 * exits without closing its writer still gets its queued records written.
 */
class KilledWriterTest {
    @TempDir Path dir;

    @Test
    void aKilledWriterLeavesWholeRecords() throws Exception {
        Path file = dir.resolve("events.out.tfevents.1.killed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KilledWriterTest.class.getName(), file.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // wait until a good part of the file is written, then kill the writer in the middle of its work
            while ((!Files.exists(file) || Files.size(file) < 4_000_000) && child.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertTrue(child.isAlive(), "the writer ended before it was killed: " + Files.readString(dir.resolve(
                    "child.log")));
        } finally {
            child.destroyForcibly();  // SIGKILL: no shutdown hook, no close
            child.waitFor(30, TimeUnit.SECONDS);
        }
        EventFileReader r = EventFileReader.read(file);  // throws on a bad checksum anywhere
        assertTrue(r.records().size() > 10, "records read: " + r.records().size());
        List<org.nabla.nn.summary.proto.Event> events = r.events();
        assertFalse(events.isEmpty());
        assertTrue(events.get(0).hasFileVersion());
    }

    @Test
    void recordsQueuedWhenTheProgramExitsReachTheFile() throws Exception {
        Path file = dir.resolve("events.out.tfevents.1.exit");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KilledWriterTest.class.getName(), file.toString(), "exit").redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertTrue(child.exitValue() == 0, Files.readString(dir.resolve("child.log")));
        // the flush interval is an hour and close() is never called: the shutdown hook wrote them
        assertTrue(EventFileReader.read(file).records().size() == 3, "file version and two scalars");
    }

    /**
     * The child: writes 100 KB text records and scalars as fast as it can, flushing often, until killed (or, should
     * the test be gone, after 40 MB or a minute).
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 1 && args[1].equals("exit")) {
            SummaryWriter w = new SummaryWriter(Path.of(args[0]), () -> 1.0, Duration.ofHours(1));
            w.scalar("loss", 0.5, 0);
            w.scalar("loss", 0.25, 1);
            System.exit(0);
        }
        String big = "x".repeat(100_000);
        SummaryWriter w = new SummaryWriter(Path.of(args[0]), () -> 1.0, Duration.ofMillis(1));
        long start = System.nanoTime();
        for (long step = 0; step < 400 && System.nanoTime() - start < 60_000_000_000L; step++) {
            w.scalar("loss", 1.0 / (step + 1), step);
            w.text("big", big, step);
            if (step % 4 == 0) w.flush();
        }
        w.close();
    }
}
