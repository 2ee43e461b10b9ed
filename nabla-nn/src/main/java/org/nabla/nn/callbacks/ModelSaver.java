package org.nabla.nn.callbacks;

import java.io.IOException;
import java.nio.file.Path;
import org.nabla.nn.Model;

/**
 * Writes a model's state to a path; {@link ModelCheckpoint} saves through it. The checkpoint format is pluggable:
 * {@link NpyWeightsSaver} is the default.
 */
@FunctionalInterface
public interface ModelSaver {
    /** Writes {@code model}'s state to {@code path}. */
    void save(Model model, Path path) throws IOException;
}
