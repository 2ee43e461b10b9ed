package org.nabla.nn.summary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.Tensors;
import org.nabla.nn.summary.proto.Event;
import org.nabla.nn.summary.proto.HParamsPluginData;
import org.nabla.nn.summary.proto.HistogramProto;
import org.nabla.nn.summary.proto.Summary;

/** What SummaryWriter writes, decoded by the protobuf library from the declarations in tensorboard_events.proto. */
class SummaryWriterTest {
    @TempDir Path dir;

    @Test
    void eachSummaryKindDecodesWithTheProtobufLibrary() throws Exception {
        Path file;
        try (SummaryWriter w = SummaryWriter.create(dir)) {
            file = w.file();
            w.scalar("loss", 0.25, 7);
            w.histogram("w", Tensors.of(new float[] {-1, 0, 0.5f, 1, 1}, 5), 3);
            w.image("digit", Tensors.of(new float[] {0, 0.5f, 1, 2}, 2, 2, 1), 1);
            w.text("notes", "**bold** text", 2);
            Map<String, Object> hp = new LinkedHashMap<>();
            hp.put("lr", 0.01);
            hp.put("optimizer", "adam");
            hp.put("augment", true);
            w.hparams(hp);
        }
        assertTrue(file.getFileName().toString().matches("events\\.out\\.tfevents\\.\\d{10}\\.[A-Za-z0-9._-]+"),
                file.getFileName().toString());
        EventFileReader r = EventFileReader.read(file);
        assertFalse(r.truncatedTail());
        List<Event> events = r.events();
        assertEquals(6, events.size());
        assertEquals("brain.Event:2", events.get(0).getFileVersion());
        assertTrue(Math.abs(events.get(0).getWallTime() - System.currentTimeMillis() / 1000.0) < 60);

        Summary.Value scalar = events.get(1).getSummary().getValue(0);
        assertEquals(7, events.get(1).getStep());
        assertEquals("loss", scalar.getTag());
        assertEquals(0.25f, scalar.getSimpleValue());

        HistogramProto h = events.get(2).getSummary().getValue(0).getHisto();
        assertEquals(3, events.get(2).getStep());
        assertEquals(-1, h.getMin());
        assertEquals(1, h.getMax());
        assertEquals(5, h.getNum());
        assertEquals(1.5, h.getSum());
        assertEquals(3.25, h.getSumSquares());
        assertEquals(Histogram.DEFAULT_BUCKETS, h.getBucketCount());
        assertEquals(1.0, h.getBucketLimit(Histogram.DEFAULT_BUCKETS - 1));
        assertEquals(1, h.getBucket(0));  // -1
        assertEquals(1, h.getBucket(15));  // 0 starts the 16th of 30 buckets over [-1, 1]
        assertEquals(3, h.getBucket(22) + h.getBucket(29));  // 0.5 and both 1s
        assertEquals(5, h.getBucketList().stream().mapToDouble(Double::doubleValue).sum());

        Summary.Image image = events.get(3).getSummary().getValue(0).getImage();
        assertEquals(2, image.getHeight());
        assertEquals(2, image.getWidth());
        assertEquals(1, image.getColorspace());
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, image.getEncodedImageString().substring(0, 4)
                .toByteArray());

        Summary.Value text = events.get(4).getSummary().getValue(0);
        assertEquals("text", text.getMetadata().getPluginData().getPluginName());
        assertEquals(7, text.getTensor().getDtype());
        assertEquals(0, text.getTensor().getTensorShape().getDimCount());
        assertEquals("**bold** text", text.getTensor().getStringVal(0).toStringUtf8());

        Summary.Value hparams = events.get(5).getSummary().getValue(0);
        assertEquals("_hparams_/session_start_info", hparams.getTag());
        assertEquals("hparams", hparams.getMetadata().getPluginData().getPluginName());
        HParamsPluginData data = HParamsPluginData.parseFrom(hparams.getMetadata().getPluginData().getContent());
        Map<String, com.google.protobuf.Value> values = data.getSessionStartInfo().getHparamsMap();
        assertEquals(0.01, values.get("lr").getNumberValue());
        assertEquals("adam", values.get("optimizer").getStringValue());
        assertTrue(values.get("augment").getBoolValue());
    }

    @Test
    void theGoldenFileIsWrittenByteForByte() throws Exception {
        Path file = dir.resolve("events.out.tfevents.1700000000.golden");
        Golden.write(file);
        byte[] expected;
        try (var in = SummaryWriterTest.class.getResourceAsStream("golden.tfevents")) {
            expected = in.readAllBytes();
        }
        assertArrayEquals(expected, Files.readAllBytes(file), "regenerate with Golden.main only after checking the "
                + "new file with TensorBoard (TensorBoardReadsOurFilesTest)");
    }

    @Test
    void recordsReachTheFileOnTheFlushIntervalWithoutAnExplicitFlush() throws Exception {
        try (SummaryWriter w = new SummaryWriter(dir.resolve("events.out.tfevents.1.timer"), () -> 1.0,
                Duration.ofMillis(20))) {
            w.scalar("x", 1, 0);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (EventFileReader.read(w.file()).records().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(2, EventFileReader.read(w.file()).records().size());
        }
    }

    @Test
    void aFileCutAnywhereReadsAsWholeRecordsAndAtMostOneCutTail() throws Exception {
        Path file = dir.resolve("events.out.tfevents.1700000000.golden");
        Golden.write(file);
        byte[] all = Files.readAllBytes(file);
        int total = EventFileReader.parse(all).records().size();
        int whole = 0;
        for (int cut = 0; cut <= all.length; cut++) {
            EventFileReader r = EventFileReader.parse(java.util.Arrays.copyOf(all, cut));
            int bytesOfWhole = r.records().stream().mapToInt(b -> b.length + TfRecords.OVERHEAD).sum();
            assertEquals(cut != bytesOfWhole, r.truncatedTail(), "cut at " + cut);
            if (!r.truncatedTail()) whole++;
        }
        assertEquals(total + 1, whole, "every record boundary (and the empty file) reads as complete");
    }

    @Test
    void anEncodedPngKeepsItsSizeAndChannels() throws Exception {
        Path file;
        try (SummaryWriter w = SummaryWriter.create(dir)) {
            file = w.file();
            w.imagePng("chart", Png.encode(new byte[3 * 5 * 4], 3, 5, 4), 2);
            assertThrows(IllegalArgumentException.class, () -> w.imagePng("bad", new byte[40], 0));
        }
        Event e = EventFileReader.read(file).events().get(1);
        Summary.Image image = e.getSummary().getValue(0).getImage();
        assertEquals(List.of(3, 5, 4), List.of(image.getHeight(), image.getWidth(), image.getColorspace()));
        assertEquals(2, e.getStep());
    }

    @Test
    void misuseFailsClearly() throws Exception {
        SummaryWriter w = SummaryWriter.create(dir);
        assertThrows(IllegalArgumentException.class, () -> w.image("x", Tensors.of(new float[4], 4), 0));
        assertThrows(IllegalArgumentException.class, () -> w.histogram("x", Tensors.of(new float[] {Float.NaN}, 1), 0));
        assertThrows(IllegalArgumentException.class, () -> w.hparams(Map.of("k", List.of())));
        w.close();
        w.close();
        assertThrows(IllegalStateException.class, () -> w.scalar("x", 1, 0));
        assertThrows(IllegalArgumentException.class, () -> SummaryWriter.create(dir, Duration.ZERO));
    }
}
