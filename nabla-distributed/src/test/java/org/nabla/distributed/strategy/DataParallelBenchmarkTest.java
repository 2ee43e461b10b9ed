package org.nabla.distributed.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scaling benchmark runs end to end (two worker JVMs, the small mlp, two steps); no timing is asserted. */
@Timeout(240)
class DataParallelBenchmarkTest {
    @Test
    void twoWorkerProcessesTrainAndReport() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<DataParallelBenchmark.Result> results = DataParallelBenchmark.run("mlp", new int[] {2}, 4, 1, 2, 64 << 10, cp,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(1, results.size());
        DataParallelBenchmark.Result r = results.get(0);
        assertEquals(2, r.workers());
        assertEquals(8, r.globalBatch());
        assertTrue(r.samplesPerSecond() > 0 && r.busGBs() > 0 && r.tcpGBs() > 0, r.toString());
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(table.startsWith(DataParallelBenchmark.HEADER) && table.contains("| 2 | 8 |"), table);
    }

    @Test
    void badArgumentsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> DataParallelBenchmark.run("resnet", new int[] {1},
                4, 1, 1, 1 << 20, System.out));
        assertTrue(e.getMessage().contains("cnn or mlp"), e.getMessage());
    }
}
