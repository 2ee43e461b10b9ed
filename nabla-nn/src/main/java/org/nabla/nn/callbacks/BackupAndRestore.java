package org.nabla.nn.callbacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.nabla.Variable;
import org.nabla.nn.Model;
import org.nabla.nn.saving.Checkpoint;
import org.nabla.nn.saving.CheckpointManager;

/**
 * Makes {@code fit} survive a crash (Keras' {@code BackupAndRestore}): after every epoch it checkpoints the whole
 * training state ({@link Model#trainingState()}: weights, step counter, optimizer variables) into {@code dir}; a
 * later {@code fit} with the same callback restores the last backup and continues with the next epoch, with the data
 * order of that epoch, so it ends with the weights an uninterrupted run would have. When training ends normally the
 * backup is deleted (unless {@code keepBackup}).
 */
public final class BackupAndRestore implements Callback {
    private final Path dir;
    private final boolean keepBackup;
    private Model model;
    private CheckpointManager checkpoints;

    /** Backs up into {@code dir} and deletes the backup when training completes. */
    public BackupAndRestore(Path dir) { this(dir, false); }

    /** Backs up into {@code dir}; {@code keepBackup} keeps it after training completes. */
    public BackupAndRestore(Path dir, boolean keepBackup) {
        this.dir = dir;
        this.keepBackup = keepBackup;
    }

    @Override
    public void setModel(Model model) { this.model = model; }

    @Override
    public boolean restoresState() { return true; }

    /** The training state keyed by its position (the same for the same model in every process). */
    private Map<String, Variable> state() {
        List<Variable> vars = model.trainingState();
        Map<String, Variable> m = new LinkedHashMap<>();
        for (int i = 0; i < vars.size(); i++) m.put(String.format("state/%04d", i), vars.get(i));
        return m;
    }

    @Override
    public int restore(int initialEpoch) {
        try {
            checkpoints = new CheckpointManager(dir, 1);
            Optional<Long> epoch = checkpoints.restoreLatest(state());
            return epoch.map(e -> Math.max(initialEpoch, e.intValue())).orElse(initialEpoch);
        } catch (IOException e) {
            throw new UncheckedIOException("BackupAndRestore: cannot restore from " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        try {
            checkpoints.save(Checkpoint.values(state()), epoch + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("BackupAndRestore: cannot back up into " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        if (keepBackup || !Files.isDirectory(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("BackupAndRestore: cannot delete the backup " + dir + ": " + e.getMessage(),
                    e);
        }
    }
}
