package org.nabla.serving;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.nabla.Tensor;
import org.nabla.nn.saving.SavedModel;
import org.nabla.onnx.OnnxImporter;
import org.nabla.onnx.OnnxModel;
import org.nabla.ops.TensorSpec;

/**
 * One model the server answers for: a Nabla saved model directory (or a training run's folder holding {@code model/})
 * or an {@code .onnx} file, with its named input and output signature. {@link #predict} may be called from several
 * threads.
 */
public final class ServedModel implements AutoCloseable {
    /** A named input or output of the signature. */
    public record Port(String name, TensorSpec spec) {
        @Override public String toString() { return name + ": " + spec; }
    }

    private final String name;
    private final Path source;
    private final SavedModel saved;
    private final OnnxModel onnx;
    private final List<Port> inputs;
    private final List<Port> outputs;

    private ServedModel(String name, Path source, SavedModel saved, OnnxModel onnx, List<Port> inputs,
                        List<Port> outputs) {
        this.name = name;
        this.source = source;
        this.saved = saved;
        this.onnx = onnx;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
    }

    /** Loads the model at {@code path}: a saved model directory, a run folder with {@code model/}, or an ONNX file. */
    public static ServedModel open(String name, Path path) throws IOException {
        if (name == null || name.isEmpty() || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("model name '" + name + "': use letters, digits, '_', '.' or '-'");
        }
        if (!Files.exists(path)) throw new IOException(path + ": no such saved model directory or ONNX file");
        if (Files.isRegularFile(path)) {
            OnnxModel m = OnnxImporter.load(path);
            return new ServedModel(name, path, null, m,
                    m.inputs().stream().map(v -> new Port(v.name(), v.spec())).toList(),
                    m.outputs().stream().map(v -> new Port(v.name(), v.spec())).toList());
        }
        Path dir = path;
        if (!Files.isRegularFile(dir.resolve(SavedModel.SIGNATURE_FILE))
                && Files.isRegularFile(dir.resolve("model").resolve(SavedModel.SIGNATURE_FILE))) {
            dir = dir.resolve("model");
        }
        SavedModel s = SavedModel.load(dir);
        return new ServedModel(name, dir, s, null,
                s.inputs().stream().map(io -> new Port(io.name(), io.spec())).toList(),
                s.outputs().stream().map(io -> new Port(io.name(), io.spec())).toList());
    }

    /** The name clients use in {@code /v1/models/NAME}. */
    public String name() { return name; }

    /** Where the model was loaded from. */
    public Path source() { return source; }

    /** The inputs, in signature order. */
    public List<Port> inputs() { return inputs; }

    /** The outputs, in signature order. */
    public List<Port> outputs() { return outputs; }

    /** Whether every input's first dimension is free (-1), so that requests can be stacked into one batch. */
    public boolean batchable() {
        return inputs.stream().allMatch(p -> p.spec().shape().rank() >= 1 && p.spec().shape().dim(0) == -1);
    }

    /** Runs the model on inputs in signature order; returns the outputs in signature order. */
    public Tensor[] predict(Tensor... args) {
        if (saved != null) return saved.predict(args);
        Tensor[] out = new Tensor[outputs.size()];
        Map<String, Tensor> byName = onnx.run(namedFeeds(args));
        for (int i = 0; i < out.length; i++) out[i] = byName.get(outputs.get(i).name());
        return out;
    }

    /** Runs the model on Rows (inputs in signature order): the one path batched and unbatched requests share. */
    Rows predict(Rows in) {
        Tensor[] args = new Tensor[inputs.size()];
        for (int i = 0; i < args.length; i++) args[i] = in.tensor(i, inputs.get(i).spec().dtype());
        return Rows.of(predict(args), in.count());
    }

    private Map<String, Tensor> namedFeeds(Tensor[] args) {
        java.util.LinkedHashMap<String, Tensor> feeds = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) feeds.put(inputs.get(i).name(), args[i]);
        return feeds;
    }

    @Override
    public void close() {
        if (saved != null) saved.close();
        if (onnx != null) onnx.close();
    }

    @Override
    public String toString() { return "model " + name + " (" + source + ") " + inputs + " -> " + outputs; }
}
