package org.nabla.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.nabla.nn.saving.CheckpointManager;

/**
 * The folder one {@code nabla train} run writes. It belongs to one run: a new or empty folder starts a run,
 * {@code --resume} continues the run already there from its last checkpoint, {@code --overwrite} deletes that run's
 * files first; anything else is refused, so a checkpoint index never lists two runs' checkpoints. Temporary files a
 * killed run left behind are deleted before anything is written.
 */
final class RunFolder {
    /** What a run writes into its folder; {@code --overwrite} deletes these and nothing else. */
    static final Set<String> RUN_ENTRIES = Set.of(CliSupport.MODEL_DIR, CliSupport.CHECKPOINT_DIR, "history.csv",
            "curves.png", "metrics.json", TrainCommand.TENSORBOARD_DIR, "profile", TrainingData.VOCABULARY_FILE);

    private RunFolder() {}

    /** Checks the choice of options alone (no file is looked at). */
    static void checkOptions(boolean resume, boolean overwrite) {
        if (resume && overwrite) {
            throw new IllegalArgumentException("give --resume (continue the run in --out) or --overwrite (replace it), "
                    + "not both");
        }
    }

    /**
     * Makes {@code dir} ready for a run: checks it can hold one (not a file, not another run's folder unless resumed
     * or overwritten), removes a killed run's temporary files, deletes the old run when overwriting. Creates nothing.
     */
    static void prepare(Path dir, boolean resume, boolean overwrite) throws IOException {
        checkOptions(resume, overwrite);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + dir + " is a file, not a folder: a run writes a folder "
                    + "(saved model, checkpoints, history.csv, curves.png, metrics.json, tensorboard); give a new or empty "
                    + "folder's path");
        }
        if (!Files.isDirectory(dir)) {
            if (resume) throw new IllegalArgumentException("--resume: there is no run folder " + dir + " to resume");
            return;
        }
        removeTemporaryFiles(dir);
        Path checkpoints = dir.resolve(CliSupport.CHECKPOINT_DIR);
        if (Files.isDirectory(checkpoints)) removeTemporaryFiles(checkpoints);
        List<String> entries = entries(dir);
        if (resume) {
            if (!Files.isRegularFile(checkpoints.resolve(CheckpointManager.INDEX))) {
                throw new IllegalArgumentException("--resume: " + dir + " holds no checkpoint to resume from (no "
                        + CliSupport.CHECKPOINT_DIR + "/" + CheckpointManager.INDEX + ")");
            }
            return;
        }
        if (entries.isEmpty()) return;
        if (!overwrite) {
            throw new IllegalArgumentException(dir + " already holds a run (" + String.join(", ", entries) + "): give "
                    + "--resume to continue it from its last checkpoint, --overwrite to delete it and start again, or "
                    + "another --out");
        }
        List<String> foreign = entries.stream().filter(e -> !RUN_ENTRIES.contains(e)).toList();
        if (!foreign.isEmpty()) {
            throw new IllegalArgumentException("--overwrite: " + dir + " also holds files no run writes ("
                    + String.join(", ", foreign) + "); refusing to delete a folder that is not a run folder");
        }
        for (String e : entries) deleteRecursively(dir.resolve(e));
    }

    /** The temporary files and folders {@link org.nabla.io.AtomicFiles} makes ({@code .<name><random>.tmp}). */
    static boolean isTemporary(String name) { return name.startsWith(".") && name.endsWith(".tmp"); }

    private static void removeTemporaryFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> isTemporary(p.getFileName().toString())).toList()) deleteRecursively(p);
        }
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    /** Deletes a file or folder tree, ignoring failures (for temporary folders). */
    static void deleteQuietly(Path p) {
        try {
            deleteRecursively(p);
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(p)) {
                for (Path c : s.toList()) deleteRecursively(c);
            }
        }
        Files.deleteIfExists(p);
    }
}
