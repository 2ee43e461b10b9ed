package org.nabla.nn.callbacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.nabla.profiler.Profile;
import org.nabla.profiler.Profiler;

/**
 * Profiles {@code steps} training steps of {@code fit}, from step {@code firstStep} (counted from 0 across epochs;
 * Keras' {@code profile_batch}), and writes {@code trace.json} (Chrome trace events: open it in Perfetto or
 * chrome://tracing) and {@code summary.txt} (the ops by self time) into {@code dir}. Validation after an epoch is
 * not profiled unless the profiled steps span it.
 */
public final class ProfileSteps implements Callback {
    private final Path dir;
    private final int firstStep;
    private final int steps;
    private int step;
    private boolean recording;
    private Profile profile;

    /** Profiles steps {@code [firstStep, firstStep + steps)} into {@code dir}. */
    public ProfileSteps(Path dir, int firstStep, int steps) {
        if (firstStep < 0 || steps < 1) {
            throw new IllegalArgumentException("ProfileSteps: need firstStep >= 0 and steps >= 1, got " + firstStep
                    + " and " + steps);
        }
        this.dir = dir;
        this.firstStep = firstStep;
        this.steps = steps;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        step = 0;
        if (firstStep == 0) begin();
    }

    @Override
    public void onBatchEnd(int batch, Map<String, Double> logs) {
        step++;
        if (recording && step == firstStep + steps) end();
        else if (!recording && profile == null && step == firstStep) begin();
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        if (recording) end();
    }

    private void begin() {
        Profiler.start();
        recording = true;
    }

    private void end() {
        recording = false;
        profile = Profiler.stop();
        try {
            Files.createDirectories(dir);
            profile.writeChromeTrace(dir.resolve("trace.json"));
            Path tmp = Files.createTempFile(dir, ".summary", ".tmp");
            Files.writeString(tmp, profile.summary(40), StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve("summary.txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("ProfileSteps: cannot write the profile into " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    /** The profile, once its steps ran (null before). */
    public Profile profile() { return profile; }
}
