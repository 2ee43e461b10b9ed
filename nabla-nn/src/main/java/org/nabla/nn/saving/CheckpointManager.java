package org.nabla.nn.saving;

import org.nabla.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nabla.Tensor;
import org.nabla.io.TextFiles;

/**
 * The checkpoints of one training run in a directory, for the model-checkpoint callback: {@link #save} writes
 * {@code ckpt-<step>.nckpt} and keeps only the last {@code keepLast} of them; {@link #saveBest} writes
 * {@code best.nckpt} when a monitored metric improves. An index file ({@value #INDEX}, a small text file written
 * atomically after each checkpoint, described in docs/checkpoint-format.md) records which files are current, so a
 * crash between writing a checkpoint and updating the index never points at a missing or partial file.
 */
public final class CheckpointManager {
    /** The index file's name. */
    public static final String INDEX = "checkpoint.index";
    /** The best checkpoint's file name. */
    public static final String BEST = "best" + Checkpoint.EXTENSION;
    private static final String HEADER = "nabla-checkpoint-index 1";

    private final Path dir;
    private final int keepLast;
    private final List<Long> steps = new ArrayList<>();
    private Long bestStep;
    private double bestMetric = Double.NaN;

    /**
     * A manager over {@code dir} (created if missing) keeping the newest {@code keepLast} step checkpoints; it picks
     * up the index an earlier run left there.
     */
    public CheckpointManager(Path dir, int keepLast) throws IOException {
        if (keepLast < 1) throw new IllegalArgumentException("CheckpointManager: keepLast must be >= 1, got " + keepLast);
        this.dir = dir;
        this.keepLast = keepLast;
        Files.createDirectories(dir);
        readIndex();
    }

    /** The folder holding the checkpoints and their index. */
    public Path directory() { return dir; }

    /** The file of the step checkpoint for {@code step}. */
    public Path pathFor(long step) { return dir.resolve(String.format("ckpt-%08d%s", step, Checkpoint.EXTENSION)); }

    /** Writes the checkpoint of {@code step} (replacing one of the same step), prunes old ones, updates the index. */
    public synchronized Path save(Map<String, Tensor> values, long step) throws IOException {
        if (step < 0) throw new IllegalArgumentException("CheckpointManager.save: step must be >= 0, got " + step);
        Path p = pathFor(step);
        Checkpoint.save(p, values);
        steps.remove(step);
        steps.add(step);
        List<Long> dropped = new ArrayList<>();
        while (steps.size() > keepLast) dropped.add(steps.removeFirst());
        writeIndex();
        for (long s : dropped) Files.deleteIfExists(pathFor(s)); // only after the index no longer lists them
        return p;
    }

    /**
     * Writes {@code best.nckpt} and records {@code metric} when it improves on the best so far ({@code lowerIsBetter}
     * for a loss, otherwise for an accuracy); returns whether it did. NaN never improves.
     */
    public synchronized boolean saveBest(Map<String, Tensor> values, long step, double metric, boolean lowerIsBetter)
            throws IOException {
        if (Double.isNaN(metric)) return false;
        boolean better = bestStep == null || (lowerIsBetter ? metric < bestMetric : metric > bestMetric);
        if (!better) return false;
        Checkpoint.save(dir.resolve(BEST), values);
        bestStep = step;
        bestMetric = metric;
        writeIndex();
        return true;
    }

    /** The newest step checkpoint ("last"), if any. */
    public synchronized Optional<Path> latest() {
        return steps.isEmpty() ? Optional.empty() : Optional.of(pathFor(steps.getLast()));
    }

    /** The step of the newest checkpoint, if any. */
    public synchronized Optional<Long> latestStep() {
        return steps.isEmpty() ? Optional.empty() : Optional.of(steps.getLast());
    }

    /**
     * Restores {@code variables} from the newest step checkpoint (see {@link Checkpoint#restore}) and returns its step,
     * or returns empty and assigns nothing when there is none yet (a fresh run).
     */
    public Optional<Long> restoreLatest(Map<String, org.nabla.Variable> variables) throws IOException {
        Optional<Long> step = latestStep();
        if (step.isPresent()) Checkpoint.restore(pathFor(step.get()), variables);
        return step;
    }

    /** The best checkpoint, if one was saved. */
    public synchronized Optional<Path> best() { return bestStep == null ? Optional.empty() : Optional.of(dir.resolve(BEST)); }

    /** The step of the best checkpoint, if one was saved. */
    public synchronized Optional<Long> bestStep() { return Optional.ofNullable(bestStep); }

    /** The best metric so far (NaN when none). */
    public synchronized double bestMetric() { return bestMetric; }

    /** The kept step checkpoints, oldest first. */
    public synchronized List<Path> checkpoints() { return steps.stream().map(this::pathFor).toList(); }

    private void writeIndex() throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (long s : steps) sb.append("ckpt ").append(s).append(' ').append(pathFor(s).getFileName()).append('\n');
        if (!steps.isEmpty()) sb.append("last ").append(steps.getLast()).append(' ')
                .append(pathFor(steps.getLast()).getFileName()).append('\n');
        if (bestStep != null) sb.append("best ").append(bestStep).append(' ').append(BEST).append(' ')
                .append(Double.toString(bestMetric)).append('\n');
        AtomicFiles.write(dir.resolve(INDEX), sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void readIndex() throws IOException {
        Path index = dir.resolve(INDEX);
        if (!Files.exists(index)) return;
        List<String> lines = TextFiles.readUtf8Lines(index);
        if (lines.isEmpty() || !lines.getFirst().equals(HEADER)) {
            throw new IOException(index + ": not a checkpoint index (the first line is not \"" + HEADER + "\")");
        }
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            String[] f = line.split(" ");
            try {
                switch (f[0]) {
                    case "ckpt" -> {
                        if (f.length != 3) throw new IllegalArgumentException();
                        steps.add(Long.parseLong(f[1]));
                    }
                    case "last" -> {
                        if (f.length != 3) throw new IllegalArgumentException();
                    }
                    case "best" -> {
                        if (f.length != 4) throw new IllegalArgumentException();
                        bestStep = Long.parseLong(f[1]);
                        bestMetric = Double.parseDouble(f[3]);
                    }
                    default -> throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                throw new IOException(index + ": line " + (i + 1) + " is not an index entry: \"" + line + "\"");
            }
        }
        steps.sort(null);
    }
}
