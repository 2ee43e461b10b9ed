package org.nabla.nn.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HistoryCsv: the training history as CSV, one row per epoch. */
class HistoryCsvTest {
    @TempDir Path dir;

    static Map<String, double[]> history() {
        Map<String, double[]> h = new LinkedHashMap<>();
        h.put("loss", new double[] {0.62, 0.31, 0.22, 0.17, 0.14});
        h.put("accuracy", new double[] {0.83, 0.91, 0.935, 0.95, 0.958});
        h.put("val_loss", new double[] {0.35, 0.25, 0.2, 0.19, 0.185});
        h.put("val_accuracy", new double[] {0.9, 0.927, 0.94, 0.946, Double.NaN});
        return h;
    }

    @Test
    void aCsvThatIsNotUtf8NamesTheFileAndByteOffset() throws IOException {
        Path f = dir.resolve("history.csv");
        Files.write(f, new byte[] {'e', 'p', 'o', 'c', 'h', ',', (byte) 0xFE, '\n'});
        IOException e = assertThrows(IOException.class, () -> HistoryCsv.read(f));
        assertEquals(
                f + ": not valid UTF-8 at byte offset 6 (0xFE); the file must be UTF-8 text", e.getMessage());
    }

    @Test
    void csvHasAHeaderAndOneRowPerEpochAndReadsBack() throws IOException {
        Path f = dir.resolve("history.csv");
        HistoryCsv.write(f, history());
        List<String> lines = Files.readAllLines(f);
        assertEquals("epoch,loss,accuracy,val_loss,val_accuracy", lines.get(0));
        assertEquals("1,0.62,0.83,0.35,0.9", lines.get(1));
        assertEquals("5,0.14,0.958,0.185,", lines.get(5));
        assertEquals(6, lines.size());
        Map<String, double[]> back = HistoryCsv.read(f);
        assertEquals(List.copyOf(history().keySet()), List.copyOf(back.keySet()));
        for (String k : back.keySet()) assertArrayEquals(history().get(k), back.get(k), 0, k);
        assertThrows(IllegalArgumentException.class, () -> HistoryCsv.write(f, Map.of("a,b", new double[1])));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
