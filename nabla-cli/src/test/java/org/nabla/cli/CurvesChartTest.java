package org.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurvesChartTest {
    @TempDir
    Path dir;

    static Map<String, double[]> history(int epochs) {
        double[] loss = new double[epochs];
        for (int e = 0; e < epochs; e++) loss[e] = 1.0 / (e + 1);
        return Map.of("loss", loss);
    }

    @Test
    void drawsWhenAnIntervalPassedAndAfterTheLastEpoch() throws Exception {
        AtomicLong now = new AtomicLong(0);
        Path png = dir.resolve("curves.png");
        CurvesChart chart = new CurvesChart(png, false, now::get);
        chart.epochEnded(history(1), 1, false);
        assertFalse(Files.exists(png), "a quick epoch draws nothing");
        now.set(CurvesChart.INTERVAL_NANOS);
        chart.epochEnded(history(2), 2, false);
        assertEquals(2, chart.epochsDrawn(), "an interval after the start");
        now.addAndGet(1);
        chart.epochEnded(history(3), 3, false);
        assertEquals(2, chart.epochsDrawn());
        chart.epochEnded(history(4), 4, true);
        assertEquals(4, chart.epochsDrawn(), "the last epoch always");
        long drawn = Files.getLastModifiedTime(png).toMillis();
        chart.finish(history(4), 4);
        assertEquals(drawn, Files.getLastModifiedTime(png).toMillis(), "finish does not draw the same epochs again");
    }

    @Test
    void finishDrawsAfterAnEarlyStop() throws Exception {
        Path png = dir.resolve("curves.png");
        CurvesChart chart = new CurvesChart(png, false, () -> 0L);
        chart.epochEnded(history(2), 2, false);
        assertFalse(Files.exists(png));
        chart.finish(history(2), 2);
        assertEquals(2, chart.epochsDrawn());
        assertTrue(Files.size(png) > 0);
    }

    @Test
    void theLastChartDrawnInTheBackgroundIsThereAfterFinish() throws Exception {
        Path png = dir.resolve("curves.png");
        CurvesChart chart = new CurvesChart(png, true, () -> 0L);
        chart.epochEnded(history(3), 3, true);
        assertEquals(0, chart.epochsDrawn(), "not waited for yet");
        chart.finish(history(3), 3);
        assertEquals(3, chart.epochsDrawn());
        assertTrue(Files.size(png) > 0);
    }

    @Test
    void aFailedBackgroundDrawingIsReportedByFinish() throws Exception {
        Path png = dir.resolve("missing/folder/curves.png");
        Files.writeString(dir.resolve("missing"), "a file where a folder should be");
        CurvesChart chart = new CurvesChart(png, true, () -> 0L);
        chart.epochEnded(history(1), 1, true);
        assertThrows(java.io.IOException.class, () -> chart.finish(history(1), 1));
    }
}
