package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.nn.CallContext;
import org.nabla.nn.FitOptions;
import org.nabla.nn.History;
import org.nabla.nn.ImageOps;
import org.nabla.nn.Layer;
import org.nabla.nn.Sequential;
import org.nabla.nn.optimizers.Adam;

/**
 * The random layers' statistics in training (mean, variance, dropped fraction, whole channels, flip and crop shapes),
 * their identity at inference, their reproducibility given (seed, step), and models with them and the new
 * convolutions training through a traced fit.
 */
class NoiseAndAugmentationTest {
    private static CallContext train(long step) { return CallContext.training(Tensors.scalar(step), 5); }

    private static Tensor random(long seed, int... dims) {
        Random r = new Random(seed);
        float[] v = new float[Shape.of(dims).intSize()];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return Tensor.wrap(DType.FLOAT32, Shape.of(dims), v);
    }

    private static Tensor ones(int... dims) {
        float[] v = new float[Shape.of(dims).intSize()];
        Arrays.fill(v, 1);
        return Tensor.wrap(DType.FLOAT32, Shape.of(dims), v);
    }

    private static double[] meanAndVariance(float[] v) {
        double s = 0, s2 = 0;
        for (float f : v) s += f;
        double m = s / v.length;
        for (float f : v) s2 += (f - m) * (f - m);
        return new double[] {m, s2 / v.length};
    }

    private static void identityAtInferenceAndReproducible(Layer l, Tensor x) {
        assertArrayEquals(x.toFloatArray(), l.call(x).toFloatArray(), l + ": identity at inference");
        float[] a = l.call(new Tensor[] {x}, train(3)).toFloatArray();
        assertArrayEquals(a, l.call(new Tensor[] {x}, train(3)).toFloatArray(), l + ": same seed and step");
        assertFalse(Arrays.equals(a, l.call(new Tensor[] {x}, train(4)).toFloatArray()), l + ": a new step draws anew");
    }

    @Test
    void gaussianNoiseAddsNoiseOfTheStddev() {
        Tensor zeros = Tensor.wrap(DType.FLOAT32, Shape.of(200, 500), new float[100_000]);
        double[] mv = meanAndVariance(new GaussianNoise(0.5).call(new Tensor[] {zeros}, train(1)).toFloatArray());
        assertEquals(0, mv[0], 0.01);
        assertEquals(0.25, mv[1], 0.25 * 0.02);
        identityAtInferenceAndReproducible(new GaussianNoise(0.5), random(1, 4, 6));
    }

    @Test
    void gaussianDropoutKeepsTheMeanWithTheVarianceOfDropout() {
        double[] mv = meanAndVariance(new GaussianDropout(0.2).call(new Tensor[] {ones(200, 500)}, train(2))
                .toFloatArray());
        assertEquals(1, mv[0], 0.01);
        assertEquals(0.25, mv[1], 0.25 * 0.02); // rate / (1 - rate)
        identityAtInferenceAndReproducible(new GaussianDropout(0.2), random(2, 4, 6));
    }

    @Test
    void alphaDropoutKeepsZeroMeanAndUnitVariance() {
        double[] mv = meanAndVariance(new AlphaDropout(0.2).call(new Tensor[] {random(5, 200, 500)}, train(2))
                .toFloatArray());
        assertEquals(0, mv[0], 0.02);
        assertEquals(1, mv[1], 0.03);
        identityAtInferenceAndReproducible(new AlphaDropout(0.2), random(2, 4, 6));
    }

    @Test
    void spatialDropoutDropsWholeChannels() {
        float[] y = new SpatialDropout2D(0.3).call(new Tensor[] {ones(400, 3, 2, 5)}, train(3)).toFloatArray();
        int dropped = 0;
        for (int n = 0; n < 400; n++) {
            for (int c = 0; c < 5; c++) {
                float first = y[n * 30 + c];
                assertTrue(first == 0 || Math.abs(first - 1 / 0.7f) < 1e-6, "scaled by 1 / (1 - rate): " + first);
                for (int p = 0; p < 6; p++) assertEquals(first, y[n * 30 + p * 5 + c], "one draw per channel");
                if (first == 0) dropped++;
            }
        }
        assertEquals(0.3, dropped / 2000.0, 0.04);
        float[] s = new SpatialDropout1D(0.5).call(new Tensor[] {ones(300, 4, 2)}, train(3)).toFloatArray();
        for (int n = 0; n < 300; n++) {
            for (int t = 1; t < 4; t++) assertEquals(s[n * 8], s[n * 8 + t * 2], "same mask at every step");
        }
        identityAtInferenceAndReproducible(new SpatialDropout1D(0.5), random(3, 4, 5, 6));
    }

    @Test
    void randomFlipFlipsAboutHalfTheImages() {
        int n = 1000;
        float[] v = new float[n * 3];
        for (int i = 0; i < n; i++) {
            v[3 * i] = 1;
            v[3 * i + 1] = 2;
            v[3 * i + 2] = 3;
        }
        Tensor x = Tensor.wrap(DType.FLOAT32, Shape.of(n, 1, 3, 1), v);
        float[] y = new RandomFlip("horizontal").call(new Tensor[] {x}, train(4)).toFloatArray();
        int flipped = 0;
        for (int i = 0; i < n; i++) {
            float[] img = Arrays.copyOfRange(y, 3 * i, 3 * i + 3);
            boolean f = Arrays.equals(img, new float[] {3, 2, 1});
            assertTrue(f || Arrays.equals(img, new float[] {1, 2, 3}), Arrays.toString(img));
            if (f) flipped++;
        }
        assertEquals(0.5, flipped / (double) n, 0.05);
        // both axes flip together (one draw per image)
        Tensor sq = Tensor.wrap(DType.FLOAT32, Shape.of(1, 2, 2, 1), new float[] {1, 2, 3, 4});
        Set<String> seen = new HashSet<>();
        for (long step = 0; step < 20; step++) {
            seen.add(Arrays.toString(new RandomFlip().call(new Tensor[] {sq}, train(step)).toFloatArray()));
        }
        assertEquals(Set.of("[1.0, 2.0, 3.0, 4.0]", "[4.0, 3.0, 2.0, 1.0]"), seen);
        identityAtInferenceAndReproducible(new RandomFlip(), random(4, 8, 3, 3, 1));
    }

    @Test
    void randomCropTakesWholeWindowsInTrainingAndTheCentreAtInference() {
        int h = 6, w = 5;
        float[] v = new float[h * w];
        for (int i = 0; i < v.length; i++) v[i] = i;
        Tensor img = Tensor.wrap(DType.FLOAT32, Shape.of(1, h, w, 1), v);
        Tensor batch = org.nabla.Ops.tile(img, 50, 1, 1, 1);
        RandomCrop crop = new RandomCrop(3, 2);
        float[] y = crop.call(new Tensor[] {batch}, train(5)).toFloatArray();
        Set<Float> corners = new HashSet<>();
        for (int n = 0; n < 50; n++) {
            float c = y[n * 6];
            int top = (int) c / w, left = (int) c % w;
            assertTrue(top <= h - 3 && left <= w - 2, "window inside: " + top + ", " + left);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 2; j++) assertEquals((top + i) * w + left + j, y[n * 6 + i * 2 + j], 0);
            }
            corners.add(c);
        }
        assertTrue(corners.size() > 5, "offsets vary: " + corners);
        // inference: the centred window of the target aspect, 6x4 at left 0, resized to 3x2 (means of 2x2 blocks)
        assertEquals(Shape.of(1, 3, 2, 1), crop.call(img).shape());
        assertArrayEquals(new float[] {3, 5, 13, 15, 23, 25}, crop.call(img).toFloatArray(), 1e-5f);
        assertThrows(IllegalArgumentException.class, () -> new RandomCrop(0, 2));
    }

    @Test
    void randomGeometryIsIdentityAtInferenceAndDrawsPerImage() {
        Tensor x = random(6, 4, 6, 6, 2);
        for (Layer l : new Layer[] {new RandomRotation(0.2), new RandomZoom(0.3), new RandomTranslation(0.2, 0.2),
                new RandomContrast(0.5).valueRange(-4, 4), new RandomBrightness(0.2).valueRange(-4, 4)}) {
            identityAtInferenceAndReproducible(l, x);
            // the same image four times: each copy transformed differently
            Tensor same = org.nabla.Ops.tile(org.nabla.Ops.slice(x, new int[] {0, 0, 0, 0}, new int[] {1, 6, 6, 2}),
                    4, 1, 1, 1);
            float[] y = l.call(new Tensor[] {same}, train(9)).toFloatArray();
            assertFalse(Arrays.equals(Arrays.copyOfRange(y, 0, 72), Arrays.copyOfRange(y, 72, 144)), l.toString());
        }
        String mode = assertThrows(IllegalArgumentException.class, () -> new RandomRotation(0.1).fillMode("edge"))
                .getMessage();
        assertTrue(mode.contains("constant, nearest, reflect, mirror or wrap"), mode);
    }

    @Test
    void fillModesIndexOutsideTheImageAsJaxDoes() {
        // size 4: a b c d; reflect d c b a | a b c d | d c b a, mirror d c b | a b c d | c b a, wrap, nearest
        int[] reflect = new int[10], mirror = new int[10], wrap = new int[10], nearest = new int[10];
        for (int i = -3; i < 7; i++) {
            reflect[i + 3] = ImageOpsAccess.fix(i, 4, "REFLECT");
            mirror[i + 3] = ImageOpsAccess.fix(i, 4, "MIRROR");
            wrap[i + 3] = ImageOpsAccess.fix(i, 4, "WRAP");
            nearest[i + 3] = ImageOpsAccess.fix(i, 4, "NEAREST");
        }
        assertArrayEquals(new int[] {2, 1, 0, 0, 1, 2, 3, 3, 2, 1}, reflect);
        assertArrayEquals(new int[] {3, 2, 1, 0, 1, 2, 3, 2, 1, 0}, mirror);
        assertArrayEquals(new int[] {1, 2, 3, 0, 1, 2, 3, 0, 1, 2}, wrap);
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 2, 3, 3, 3, 3}, nearest);
        assertEquals(-1, ImageOpsAccess.fix(-1, 4, "CONSTANT"));
    }

    /** Package access to ImageOps' index rule through a transform of one row. */
    private static final class ImageOpsAccess {
        static int fix(int i, int size, String mode) {
            float[] v = new float[size];
            for (int k = 0; k < size; k++) v[k] = k;
            Tensor img = Tensor.wrap(DType.FLOAT32, Shape.of(1, 1, size, 1), v);
            Tensor t = Tensor.wrap(DType.FLOAT32, Shape.of(1, 8), new float[] {1, 0, i, 0, 1, 0, 0, 0});
            float got = ImageOps.imageTransform(img, t, 1, 1, "nearest", mode, -1).toFloatArray()[0];
            return (int) got;
        }
    }

    @Test
    void trainingWithAugmentationRepeatsBitForBitGivenTheSeed() {
        Tensor x = random(9, 32, 6, 6, 2);
        Tensor y = random(10, 32, 3);
        float[][] weights = new float[2][];
        for (int run = 0; run < 2; run++) {
            Sequential m = new Sequential(new RandomFlip(), new RandomRotation(0.1), new RandomZoom(0.2),
                    new RandomTranslation(0.1, 0.2), new RandomCrop(5, 5), new GaussianNoise(0.1),
                    new DepthwiseConv2D(3), new SpatialDropout2D(0.2), new GaussianDropout(0.1), new Flatten(),
                    new Dense(3));
            m.seed(12);
            m.compile(new Adam(0.01), "mse");
            m.fit(x, y, FitOptions.epochs(2).batchSize(8).seed(5).verbose(0));
            weights[run] = m.trainableWeights().getFirst().read().toFloatArray();
        }
        assertArrayEquals(weights[0], weights[1], "same seed, same training, bit for bit");
    }

    @Test
    void modelsWithTheNewLayersTrainThroughATracedFit() {
        Tensor x = random(7, 64, 8, 8, 1);
        float[] labels = new float[64 * 2];
        float[] px = x.toFloatArray();
        for (int n = 0; n < 64; n++) {
            double s = 0;
            for (int i = 0; i < 64; i++) s += px[n * 64 + i];
            labels[n * 2 + (s > 0 ? 1 : 0)] = 1;
        }
        Tensor y = Tensor.wrap(DType.FLOAT32, Shape.of(64, 2), labels);
        Sequential m = new Sequential(new RandomFlip(), new RandomRotation(0.05), new RandomZoom(0.1),
                new RandomTranslation(0.1, 0.1), new GaussianNoise(0.05), new Conv2D(4, 3, 3, "relu").dilationRate(1)
                .padding("same"), new DepthwiseConv2D(3, 3, "relu").depthMultiplier(2), new SpatialDropout2D(0.1),
                new SeparableConv2D(4, 3).padding("same"), new Conv2DTranspose(2, 3).strides(2, 2), new GaussianDropout(0.1),
                new GlobalAveragePooling2D(), new Dense(2, "softmax"));
        m.seed(3);
        m.compile(new Adam(0.01), "categorical_crossentropy", "accuracy");
        History h = m.fit(x, y, FitOptions.epochs(3).batchSize(16).shuffle(false).verbose(0));
        assertEquals(1, m.trainTraceCount(), "one traced training step");
        for (double loss : h.get("loss")) assertTrue(Double.isFinite(loss), h.get("loss").toString());
        Tensor vol = random(8, 16, 4, 5, 5, 2);
        Sequential v = new Sequential(new Conv3D(3, 2, 3, 3, "relu").padding("same"), new MaxPooling3D(2),
                new AveragePooling3D(new int[] {1, 2, 2}, new int[] {1, 1, 1}, "same"), new Flatten(), new Dense(2));
        v.seed(4);
        v.compile(new Adam(0.01), "mse");
        History hv = v.fit(vol, Tensor.wrap(DType.FLOAT32, Shape.of(16, 2), new float[32]), FitOptions.epochs(2)
                .batchSize(8).verbose(0));
        assertTrue(hv.last("loss") < hv.get("loss").getFirst() || hv.last("loss") < 1e-3, hv.get("loss").toString());
    }
}
