package org.nabla.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nabla.Variable;
import org.nabla.nn.Model;
import org.nabla.nn.callbacks.Callback;
import org.nabla.nn.saving.Checkpoint;
import org.nabla.nn.saving.CheckpointManager;

/**
 * The chief's checkpoints of a Spark training run: after every epoch it saves the model's whole training state
 * (weights, step counter, optimizer variables) as checkpoint {@code epoch + 1} of a {@link CheckpointManager}, whose
 * files and index are written atomically; a retried barrier stage restores the newest one on every task.
 *
 * <p>Entries are keyed by position in {@link Model#trainingState()} ({@code state/0003}), not by variable name:
 * several models built in one JVM (Spark's local mode) get different unique suffixes, while every build of the same
 * factory lists its variables in the same order; restoring still checks each entry's dtype and shape.
 */
final class EpochCheckpoints implements Callback {
    private final CheckpointManager manager;
    private final Map<String, Variable> state;

    EpochCheckpoints(CheckpointManager manager, Model model) {
        this.manager = manager;
        this.state = keyed(model.trainingState());
    }

    /** The manager of {@code dir}, keeping {@code keep} epoch checkpoints. */
    static CheckpointManager open(String dir, int keep) throws IOException {
        return new CheckpointManager(Path.of(dir), keep);
    }

    /** {@code vars} keyed by position: {@code state/0000}, {@code state/0001}... */
    static Map<String, Variable> keyed(List<Variable> vars) {
        Map<String, Variable> out = new LinkedHashMap<>();
        for (int i = 0; i < vars.size(); i++) out.put(String.format("state/%04d", i), vars.get(i));
        return out;
    }

    /** The epochs finished by the newest checkpoint in {@code manager} (0 when there is none). */
    static int lastEpoch(CheckpointManager manager) {
        Optional<Long> step = manager.latestStep();
        return step.map(Long::intValue).orElse(0);
    }

    /** Restores {@code model}'s training state from the checkpoint written after epoch {@code epoch} (1-based). */
    static void restore(CheckpointManager manager, Model model, int epoch) throws IOException {
        Checkpoint.restore(manager.pathFor(epoch), keyed(model.trainingState()));
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        try {
            manager.save(Checkpoint.values(state), epoch + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint of epoch " + (epoch + 1) + " to "
                    + manager.directory() + ": " + e.getMessage(), e);
        }
    }
}
