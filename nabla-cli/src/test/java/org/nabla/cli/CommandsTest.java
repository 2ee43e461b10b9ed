package org.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.charts.ImageInput;
import org.nabla.data.io.Idx;
import org.nabla.nn.saving.SavedModel;
import org.nabla.ops.TensorSpec;

/**
 * The train, evaluate, predict, summary and graph commands on tiny inputs (a 64/32-image IDX dataset written here),
 * and every bad input of issue 4: each gives exit code 1 and a one-line "nabla <cmd>: ..." message.
 */
class CommandsTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path run;
    static Path png;
    static Path idxImages;

    /** Output and exit code of one command. */
    record Result(int code, String out, String err) {
        String all() { return out + err; }
    }

    static Result run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Fails unless the command failed with exit code 1 and one line "nabla cmd: ..." containing {@code expected}. */
    static void assertFails(Result r, String cmd, String expected) {
        assertEquals(1, r.code(), r.all());
        String err = r.err().strip();
        assertTrue(err.startsWith("nabla " + cmd + ": "), err);
        assertTrue(err.contains(expected), "expected '" + expected + "' in: " + err);
        assertFalse(err.contains("\tat "), "stack trace in: " + err);
    }

    /** A tiny dataset in the MNIST file layout: 64 train and 32 test images, each class a bright square somewhere. */
    static void writeDataset(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        Random rnd = new Random(7);
        for (String split : List.of("train", "t10k")) {
            int n = split.equals("train") ? train : test;
            byte[] px = new byte[n * 784];
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                int c = i % 10;
                labels[i] = (byte) c;
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        px[i * 784 + (2 + (c / 4) * 8 + y) * 28 + 2 + (c % 4) * 6 + x] = (byte) 220;
                    }
                }
                px[i * 784 + rnd.nextInt(784)] = (byte) rnd.nextInt(256);
            }
            Idx.write(Tensor.wrap(DType.UINT8, Shape.of(n, 28, 28), px), dir.resolve(split + "-images-idx3-ubyte"));
            Idx.write(Tensor.wrap(DType.UINT8, Shape.of(n), labels), dir.resolve(split + "-labels-idx1-ubyte"));
        }
    }

    @BeforeAll
    static void trainOnce() throws IOException {
        data = tmp.resolve("data");
        writeDataset(data, 64, 32);
        run = tmp.resolve("run");
        Result r = run("train", "--model", "mlp", "--data-dir", data.toString(), "--epochs", "2", "--out",
                run.toString(), "--metrics-json", tmp.resolve("metrics.json").toString(), "--quiet", "--seed", "3");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("Epoch 2/2"), r.out());
        assertTrue(r.out().contains("nabla train: mlp on mnist: test accuracy"), r.out());

        float[] img = new float[784];
        for (int y = 2; y < 10; y++) for (int x = 2; x < 10; x++) img[y * 28 + x] = 220 / 255f;
        png = tmp.resolve("digit.png");
        ImageInput.writePng(Tensor.wrap(DType.FLOAT32, Shape.of(28, 28), img), png);
        idxImages = tmp.resolve("three.idx");
        byte[] three = new byte[3 * 784];
        System.arraycopy(Files.readAllBytes(data.resolve("t10k-images-idx3-ubyte")), 16, three, 0, three.length);
        Idx.write(Tensor.wrap(DType.UINT8, Shape.of(3, 28, 28), three), idxImages);
    }

    // ---------------------------------------------------------------- the commands

    @Test
    void trainWritesTheRunFolderAndMetrics() throws IOException {
        for (String f : List.of("model/saved_model.json", "model/graph.nabla", "model/variables.nckpt",
                "checkpoints/checkpoint.index", "checkpoints/ckpt-00000002.nckpt", "history.csv", "curves.png",
                "metrics.json")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        assertFalse(Files.exists(run.resolve("checkpoints/ckpt-00000000.nckpt")));
        try (Stream<Path> all = Files.walk(tmp)) {
            assertEquals(List.of(), all.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
        byte[] pngBytes = Files.readAllBytes(run.resolve("curves.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(pngBytes, 4));
        List<String> csv = Files.readAllLines(run.resolve("history.csv"));
        assertEquals(3, csv.size(), csv.toString());
        assertTrue(csv.get(0).startsWith("epoch,loss,accuracy,val_loss,val_accuracy"), csv.get(0));
        assertTrue(csv.get(1).startsWith("1,") && csv.get(2).startsWith("2,"), csv.toString());

        String json = Files.readString(tmp.resolve("metrics.json"));
        assertEquals(json, Files.readString(run.resolve("metrics.json")));
        for (String key : List.of("test_accuracy", "test_loss", "train_samples_per_second", "epochs", "seconds")) {
            assertTrue(json.contains("\"" + key + "\": "), key + " in " + json);
        }
        assertEquals(2, (int) number(json, "epochs"));
        double acc = number(json, "test_accuracy");
        assertTrue(acc >= 0 && acc <= 1, json);
        assertTrue(number(json, "train_samples_per_second") > 0, json);
        assertTrue(number(json, "steady_train_samples_per_second") > 0, json);   // two epochs: the second one's speed
        // The accuracy equals the last epoch's validation accuracy in history.csv.
        String[] last = csv.get(2).split(",");
        assertEquals(Double.parseDouble(last[4]), acc, 1e-5);
    }

    static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": ([-0-9.eE]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void evaluateTheSavedModelAndTheCheckpointAgree() throws IOException {
        Result saved = run("evaluate", "--model", run.toString(), "--data-dir", data.toString(), "--metrics-json",
                tmp.resolve("eval.json").toString());
        assertEquals(0, saved.code(), saved.all());
        assertTrue(saved.out().contains("accuracy") && saved.out().contains("32 images"), saved.out());
        Result ckpt = run("evaluate", "--model", "mlp", "--checkpoint", run.resolve("checkpoints").toString(),
                "--data-dir", data.toString());
        assertEquals(0, ckpt.code(), ckpt.all());
        String eval = Files.readString(tmp.resolve("eval.json"));
        String acc = String.format(java.util.Locale.ROOT, "accuracy %.2f%%", 100 * number(eval, "test_accuracy"));
        assertTrue(saved.out().contains(acc), saved.out() + " vs " + acc);
        assertTrue(ckpt.out().contains(acc), ckpt.out() + " vs " + acc);
        // The saved model's metrics are those of the last validation pass of training.
        assertEquals(number(Files.readString(run.resolve("metrics.json")), "test_accuracy"),
                number(eval, "test_accuracy"), 1e-6);
        assertEquals(number(Files.readString(run.resolve("metrics.json")), "test_loss"), number(eval, "test_loss"),
                1e-4);
    }

    @Test
    void predictPngAndIdx() {
        Result r = run("predict", "--model", run.resolve("model").toString(), png.toString(), idxImages.toString());
        assertEquals(0, r.code(), r.all());
        List<String> lines = r.out().lines().toList();
        assertEquals(4, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith(png + ": "), lines.get(0));
        assertTrue(lines.get(1).startsWith(idxImages + "[0]: "), lines.get(1));
        for (String line : lines) {
            Matcher m = Pattern.compile(" (\\d)=([0-9.]+)").matcher(line);
            double sum = 0;
            int count = 0;
            while (m.find()) {
                sum += Double.parseDouble(m.group(2));
                count++;
            }
            assertEquals(10, count, line);
            assertEquals(1.0, sum, 0.01, line);
        }
    }


    @Test
    void trainWritesAProfileOfTheStepsAsked() throws IOException {
        Path out = tmp.resolve("profiled");
        Result r = run("train", "--model", "mlp", "--data-dir", data.toString(), "--epochs", "2", "--batch-size", "16",
                "--out", out.toString(), "--quiet", "--no-tensorboard", "--profile", "2");
        assertEquals(0, r.code(), r.all());
        String trace = Files.readString(out.resolve("profile/trace.json"));
        assertTrue(trace.contains("\"traceEvents\"") && trace.contains("\"MatMul\""), trace.substring(0, 200));
        String summary = Files.readString(out.resolve("profile/summary.txt"));
        assertTrue(summary.startsWith("op ") && summary.contains("kernel calls in"), summary);
        assertFails(run("train", "--data-dir", data.toString(), "--profile", "0", "--out", tmp.resolve("p0").toString()),
                "train", "--profile needs a number of steps >= 1, got 0");
    }

    @Test
    void predictRefusesNaNPixels() throws IOException {
        // issue 16: a NaN image gave "0 (NaN%)" and exit code 0
        float[] px = new float[2 * 784];
        px[784 + 5] = Float.NaN;
        Path f = tmp.resolve("nan.idx");
        Idx.write(Tensor.wrap(DType.FLOAT32, Shape.of(2, 28, 28), px), f);
        assertFails(run("predict", "--model", run.resolve("model").toString(), f.toString()), "predict",
                "image 1 holds a NaN pixel (at 5); expected finite values in [0, 1]");
        float[] logits = new float[10];
        logits[3] = Float.NaN;
        String weights = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> PredictCommand.requireFinite("x.png", new float[784], logits, 0)).getMessage();
        assertTrue(weights.contains("x.png: the model's outputs are NaN or infinite") && weights.contains(
                "the model's weights hold NaN or infinite values"), weights);
    }

    @Test
    void predictRunsManyImagesBatchByBatch() throws IOException {
        // more images than one forward pass takes (PredictCommand.BATCH): the last ones go through a second pass,
        // which must classify them as a run of only those images does (issue 13: one tensor of every image overflowed)
        int n = PredictCommand.BATCH + 6;
        byte[] pixels = new byte[n * 784];
        new java.util.Random(13).nextBytes(pixels);
        Path many = tmp.resolve("many.idx");
        Idx.write(Tensor.wrap(DType.UINT8, Shape.of(n, 28, 28), pixels), many);
        Path tail = tmp.resolve("tail.idx");
        byte[] last = java.util.Arrays.copyOfRange(pixels, PredictCommand.BATCH * 784, n * 784);
        Idx.write(Tensor.wrap(DType.UINT8, Shape.of(6, 28, 28), last), tail);

        Result all = run("predict", "--model", run.resolve("model").toString(), many.toString());
        assertEquals(0, all.code(), all.err());
        List<String> lines = all.out().lines().toList();
        assertEquals(n, lines.size());
        Result few = run("predict", "--model", run.resolve("model").toString(), tail.toString());
        assertEquals(0, few.code(), few.err());
        List<String> expected = few.out().lines().toList();
        for (int i = 0; i < 6; i++) {
            String got = lines.get(PredictCommand.BATCH + i);
            assertTrue(got.startsWith(many + "[" + (PredictCommand.BATCH + i) + "]: "), got);
            assertEquals(expected.get(i).substring(expected.get(i).indexOf("]: ")), got.substring(got.indexOf("]: ")));
        }
    }
    @Test
    void summaries() {
        Result mlp = run("summary", "--model", "mlp");
        assertEquals(0, mlp.code(), mlp.all());
        assertTrue(mlp.out().contains("dense (Dense)               (None, 128)               100480"), mlp.out());
        assertTrue(mlp.out().contains("Total params: 101,770"), mlp.out());
        Result cnn = run("summary");
        assertTrue(cnn.out().contains("conv2d_1 (Conv2D)           (None, 11, 11, 64)        18496"), cnn.out());
        assertTrue(cnn.out().contains("Total params: 34,826"), cnn.out());
        Result saved = run("summary", "--model", run.toString());
        assertEquals(0, saved.code(), saved.all());
        assertTrue(saved.out().contains("input  image: float32(None, 28, 28)"), saved.out());
        assertTrue(saved.out().contains("Total params: 101,770"), saved.out());
    }

    @Test
    void graphDotAndSvgWithoutGraphviz() throws IOException {
        Result dot = run("graph", "--model", "mlp", "--dot");
        assertEquals(0, dot.code(), dot.all());
        assertTrue(dot.out().startsWith("digraph"), dot.out());
        assertTrue(dot.out().contains("MatMul"), dot.out());
        Path file = tmp.resolve("saved.dot");
        assertEquals(0, run("graph", "--model", run.resolve("model").toString(), "--dot", file.toString()).code());
        assertTrue(Files.readString(file).contains("ReadVariable"), Files.readString(file));

        String old = System.getProperty("nabla.dot");
        System.setProperty("nabla.dot", tmp.resolve("no-such-dot-program").toString());
        try {
            Path svg = tmp.resolve("g.svg");
            assertFails(run("graph", "--model", "mlp", "--svg", svg.toString()), "graph", "install graphviz");
            assertFalse(Files.exists(svg));
        } finally {
            if (old == null) System.clearProperty("nabla.dot"); else System.setProperty("nabla.dot", old);
        }
    }

    @Test
    void eagerModeGivesTheSameTraining() throws IOException {
        Path g = tmp.resolve("graph.json"), e = tmp.resolve("eager.json");
        for (String[] mode : List.of(new String[] {"graph", g.toString()}, new String[] {"eager", e.toString()})) {
            Result r = run("train", "--model", "mlp", "--data-dir", data.toString(), "--epochs", "1", "--limit", "40",
                    "--mode", mode[0], "--out", tmp.resolve("run-" + mode[0]).toString(), "--metrics-json", mode[1],
                    "--quiet");
            assertEquals(0, r.code(), r.all());
        }
        String gj = Files.readString(g), ej = Files.readString(e);
        assertEquals(number(gj, "test_loss"), number(ej, "test_loss"), 1e-4);
        assertEquals(number(gj, "test_accuracy"), number(ej, "test_accuracy"), 1e-9);
        assertEquals(32, (int) number(gj, "test_examples"));
        assertEquals(40, (int) number(gj, "train_examples"));
    }

    @Test
    void benchTrainPrintsThroughputJson() {
        Result r = run("bench-train", "--model", "mlp", "--steps", "2", "--warmup", "1", "--seconds", "0",
                "--json");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().strip().startsWith("[") && r.out().strip().endsWith("]"), r.out());
        assertEquals("mlp", r.out().replaceAll("(?s).*\"model\": \"([a-z]+)\".*", "$1"));
        assertTrue(number(r.out(), "train_samples_per_second") > 0, r.out());
        assertTrue(number(r.out(), "infer_samples_per_second") > 0, r.out());
        assertEquals(32, (int) number(r.out(), "batch_size"));
        assertFails(run("bench-train", "--model", "vgg"), "bench-train", "unknown model 'vgg'");
    }

    @Test
    void benchTrainInferenceOnlyAtOtherBatchesSavesTheModelForExport() throws IOException {
        Path saved = tmp.resolve("bench-saved");
        Result r = run("bench-train", "--model", "mlp", "--no-train", "--infer-batch-size", "3,1", "--steps", "2",
                "--warmup", "0", "--seconds", "0", "--save-model", saved.toString(), "--json");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("\"train_samples_per_second\": null"), r.out());
        assertEquals(101_770, (long) number(r.out(), "parameters"));
        assertTrue(number(r.out(), "infer_b3_samples_per_second") > 0, r.out());
        assertTrue(number(r.out(), "infer_b1_seconds_per_call") > 0, r.out());
        Path onnx = tmp.resolve("bench-mlp.onnx");
        assertEquals(0, run("export", "--model", saved.resolve("mlp").toString(), "--onnx", onnx.toString()).code());
        assertTrue(Files.size(onnx) > 101_770 * 4, "the exported file holds the weights");
        assertFails(run("bench-train", "--model", "mlp", "--infer-batch-size", "0"), "bench-train",
                "--infer-batch-size must be positive, got [0]");
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void truncatedAndWrongMagicIdx() throws IOException {
        byte[] good = Files.readAllBytes(idxImages);
        Path truncated = tmp.resolve("truncated.idx");
        Files.write(truncated, Arrays.copyOf(good, good.length - 100));
        assertFails(run("predict", "--model", run.toString(), truncated.toString()), "predict", "truncated");
        Path magic = tmp.resolve("magic.idx");
        byte[] bad = good.clone();
        bad[0] = 0x12;
        Files.write(magic, bad);
        assertFails(run("predict", "--model", run.toString(), magic.toString()), "predict", "wrong magic number");
        Path labels = data.resolve("t10k-labels-idx1-ubyte");
        assertFails(run("predict", "--model", run.toString(), labels.toString()), "predict",
                "expected images [N, 28, 28]");
        assertFails(run("predict", "--model", run.toString(), tmp.resolve("missing.png").toString()), "predict",
                "missing.png");

        // A training set with a truncated file fails before the output folder is made.
        Path broken = tmp.resolve("broken-data");
        writeDataset(broken, 20, 10);
        Path images = broken.resolve("train-images-idx3-ubyte");
        byte[] b = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(b, b.length - 1));
        Path out = tmp.resolve("never");
        assertFails(run("train", "--model", "mlp", "--data-dir", broken.toString(), "--out", out.toString()), "train",
                "truncated");
        assertFalse(Files.exists(out));
    }

    @Test
    void pngOfTheWrongSize() throws IOException {
        Path big = tmp.resolve("big.png");
        ImageInput.writePng(Tensor.wrap(DType.FLOAT32, Shape.of(30, 32), new float[30 * 32]), big);
        assertFails(run("predict", "--model", run.toString(), big.toString()), "predict",
                "image is 32x30 pixels; expected 28x28");
        Path notPng = tmp.resolve("fake.png");
        Files.write(notPng, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        assertFails(run("predict", "--model", run.toString(), notPng.toString()), "predict", "fake.png");
    }

    @Test
    void checkpointOfAnotherModel() {
        assertFails(run("evaluate", "--model", "cnn", "--checkpoint", run.resolve("checkpoints").toString(),
                "--data-dir", data.toString()), "evaluate", "checkpoint does not fit this model");
        assertFails(run("predict", "--model", "cnn", "--checkpoint", run.resolve("checkpoints/ckpt-00000002.nckpt")
                .toString(), png.toString()), "predict", "checkpoint does not fit this model");
        assertFails(run("evaluate", "--model", "mlp", "--data-dir", data.toString()), "evaluate", "needs --checkpoint");
    }

    @Test
    void savedModelOfAnotherModel() throws IOException {
        Path other = tmp.resolve("other-model");
        Variable w = Variable.of("w", Tensor.wrap(DType.FLOAT32, Shape.of(5, 3), new float[15]), true);
        SavedModel.save(other, in -> new Tensor[] {Ops.matmul(in[0], w.read())},
                List.of(TensorSpec.of(DType.FLOAT32, Shape.of(-1, 5))), List.of("x"), List.of("y"), Map.of("w", w));
        assertFails(run("predict", "--model", other.toString(), png.toString()), "predict",
                "not a 28x28 image classifier");
        assertFails(run("evaluate", "--model", other.toString(), "--data-dir", data.toString()), "evaluate",
                "not a 28x28 image classifier");
        assertFails(run("evaluate", "--model", tmp.resolve("nothing-here").toString()), "evaluate",
                "no such saved model directory");
        assertFails(run("evaluate", "--model", data.toString()), "evaluate", "not a saved model directory");
    }

    @Test
    void corruptedCheckpointAndSavedModel() throws IOException {
        Path copy = tmp.resolve("corrupt-run");
        Files.createDirectories(copy.resolve("model"));
        for (String f : List.of("saved_model.json", "graph.nabla", "variables.nckpt")) {
            Files.copy(run.resolve("model").resolve(f), copy.resolve("model").resolve(f));
        }
        Path vars = copy.resolve("model/variables.nckpt");
        byte[] b = Files.readAllBytes(vars);
        b[b.length / 2] ^= 0x40;
        Files.write(vars, b);
        assertFails(run("evaluate", "--model", copy.toString(), "--data-dir", data.toString()), "evaluate",
                "corrupted checkpoint");
        Path ckpt = tmp.resolve("corrupt.nckpt");
        byte[] c = Files.readAllBytes(run.resolve("checkpoints/ckpt-00000002.nckpt"));
        Files.write(ckpt, Arrays.copyOf(c, c.length - 10));
        assertFails(run("predict", "--model", "mlp", "--checkpoint", ckpt.toString(), png.toString()), "predict",
                "truncated checkpoint");
        Path notCkpt = tmp.resolve("not.nckpt");
        Files.writeString(notCkpt, "hello, this is not a checkpoint at all....");
        assertFails(run("evaluate", "--model", "mlp", "--checkpoint", notCkpt.toString(), "--data-dir",
                data.toString()), "evaluate", "not a Nabla checkpoint");
    }

    @Test
    void datasetFolderWithoutTheFiles() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path out = tmp.resolve("never2");
        assertFails(run("train", "--data-dir", empty.toString(), "--out", out.toString()), "train",
                "no mnist files there");
        assertFalse(Files.exists(out));
        assertFails(run("train", "--dataset", "fashion-mnist", "--data-dir", empty.toString()), "train",
                "no fashion-mnist files there");
        assertFails(run("evaluate", "--model", run.toString(), "--data-dir", tmp.resolve("nope").toString()),
                "evaluate", "no such dataset folder");
    }

    @Test
    void helpOfEveryCommand() {
        for (String cmd : List.of("train", "evaluate", "predict", "summary", "graph", "bench-train")) {
            Result r = run(cmd, "--help");
            assertEquals(0, r.code(), cmd + ": " + r.all());
            assertTrue(r.out().startsWith("Usage: nabla " + cmd), r.out());
        }
    }

    @Test
    void badOptionValues() {
        assertFails(run("train", "--dataset", "cifar"), "train", "unknown dataset 'cifar'; choose one of mnist, "
                + "fashion-mnist");
        assertFails(run("train", "--model", "resnet"), "train", "unknown model 'resnet'");
        assertFails(run("train", "--mode", "fast"), "train", "unknown mode 'fast'");
        assertFails(run("train", "--epochs", "0", "--data-dir", data.toString()), "train", "--epochs must be positive");
        assertNotEquals(0, run("train", "--epochs", "many").code());
    }

    @Test
    void messagesOfExceptionsWithoutText() {
        assertEquals("NullPointerException (NABLA_DEBUG=1 shows the stack trace)",
                Main.message(new NullPointerException()));
        assertEquals("x: no such file", Main.message(new java.nio.file.NoSuchFileException("x")));
        assertEquals("inner", Main.message(new RuntimeException(new IOException("inner"))));
    }
}
