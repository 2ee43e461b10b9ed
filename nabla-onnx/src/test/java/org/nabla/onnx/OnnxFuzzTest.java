package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.Tensor;
import org.nabla.io.Npy;

/**
 * Corrupted models (seeded random byte changes, truncations and insertions in real files) either import and run or
 * fail with an ONNX error naming the problem: never another exception, an allocation sized from a corrupt header,
 * or a hang.
 */
class OnnxFuzzTest {
    @TempDir
    Path tmp;

    @Test
    void corruptedModelsFailCleanly() throws IOException, URISyntaxException {
        byte[] good = Files.readAllBytes(Path.of(getClass().getResource("/pytorch/small_cnn.onnx").toURI()));
        Tensor x = Npy.read(Path.of(getClass().getResource("/pytorch/small_cnn_x.npy").toURI()));
        Random rnd = new Random(20261126);
        int clean = 0, rejected = 0;
        for (int trial = 0; trial < 300; trial++) {
            byte[] bad = corrupt(good, rnd);
            Path file = tmp.resolve("fuzz.onnx");
            Files.write(file, bad);
            try (OnnxModel m = OnnxImporter.load(file)) {
                if (m.inputs().size() == 1 && m.inputs().get(0).spec().dtype() == x.dtype()) {
                    try {
                        m.run(x);
                    } catch (IllegalArgumentException e) {
                        // a changed input shape or value rejected by the ops, with a message
                    }
                }
                clean++;
            } catch (OnnxException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
                rejected++;
            } catch (IllegalArgumentException e) {
                rejected++; // e.g. an invalid node name made of corrupted bytes
            } catch (RuntimeException | Error e) {
                Files.write(tmp.resolve("failing-" + trial + ".onnx"), bad);
                fail("trial " + trial + ": " + e, e);
            }
        }
        assertTrue(rejected > 0 && clean + rejected == 300, clean + " imported, " + rejected + " rejected");
    }

    private static byte[] corrupt(byte[] good, Random rnd) {
        byte[] b = good.clone();
        switch (rnd.nextInt(4)) {
            case 0 -> { // a few random bytes
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            case 1 -> { // one bit
                int i = rnd.nextInt(b.length);
                b[i] ^= (byte) (1 << rnd.nextInt(8));
            }
            case 2 -> b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length)); // truncated
            default -> { // a large varint where a length or number was
                int i = rnd.nextInt(b.length - 5);
                b[i] = (byte) 0xff;
                b[i + 1] = (byte) 0xff;
                b[i + 2] = (byte) 0xff;
                b[i + 3] = (byte) 0x7f;
            }
        }
        return b;
    }
}
