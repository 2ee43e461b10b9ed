package org.nabla.nn.callbacks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.io.Npy;
import org.nabla.nn.Model;

/**
 * The default {@link ModelSaver}: a directory with one {@code .npy} file per weight ({@code 000.npy}, {@code
 * 001.npy}... in {@link Model#weights()} order) and {@code weights.txt} listing index, variable name, dtype and
 * shape. Each file is written to a temporary file in the directory and renamed into place (atomic on one file
 * system), and {@code weights.txt} is written last, so a reader that finds it finds complete weight files.
 */
public final class NpyWeightsSaver implements ModelSaver {
    /** A saver writing one .npy file per weight. */
    public NpyWeightsSaver() {}

    @Override
    public void save(Model model, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Variable> ws = model.weights();
        StringBuilder manifest = new StringBuilder();
        for (int i = 0; i < ws.size(); i++) {
            String file = String.format("%03d.npy", i);
            org.nabla.io.AtomicFiles.write(dir.resolve(file), Npy.toBytes(ws.get(i).read()));
            manifest.append(file).append(' ').append(ws.get(i).name()).append(' ').append(ws.get(i).dtype())
                    .append(' ').append(ws.get(i).shape()).append('\n');
        }
        org.nabla.io.AtomicFiles.write(dir.resolve("weights.txt"), manifest.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Reads weights written by {@link #save} back into {@code model} (checked against its weights). */
    public static void load(Model model, Path dir) throws IOException {
        Path manifest = dir.resolve("weights.txt");
        if (!Files.exists(manifest)) throw new IOException("no weights in " + dir + " (weights.txt is missing)");
        List<Variable> ws = model.weights();
        List<Tensor> values = new ArrayList<>();
        for (int i = 0; i < ws.size(); i++) {
            Path f = dir.resolve(String.format("%03d.npy", i));
            if (!Files.exists(f)) throw new IOException("weight file " + f + " is missing");
            values.add(Npy.read(f));
        }
        try {
            model.setWeights(values);
        } catch (IllegalArgumentException e) {
            throw new IOException("weights in " + dir + " do not fit model " + model.name() + ": " + e.getMessage(), e);
        }
    }
}
