package org.nabla.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.Tensors;

/** A failed write names the file the caller asked for, never the hidden temporary it was writing through. */
class AtomicFilesErrorsTest {
    /** Linux's /sys refuses new files even to root, so this is a real permission failure wherever the tests run. */
    private static Path unwritable(String name) {
        Path sys = Path.of("/sys");
        Assumptions.assumeTrue(Files.isDirectory(sys) && !Files.isWritable(sys.resolve("nabla-probe")),
                "needs Linux's read-only /sys");
        return sys.resolve(name);
    }

    @Test
    void permissionDeniedNamesTheTargetFile() {
        Path target = unwritable("weights.npy");
        AccessDeniedException e = assertThrows(AccessDeniedException.class,
                () -> Npy.write(Tensors.of(new float[] {1, 2}), target));
        assertEquals(target.toString(), e.getFile());
        assertEquals(target + ": permission denied", e.getMessage());
    }

    @Test
    void aRefusedDirectoryNamesTheDirectory() {
        Path target = unwritable("model");
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> AtomicFiles.writeDirectory(target, "marker", tmp -> Files.writeString(tmp.resolve("marker"), "")));
        assertEquals(target.toString(), e.getFile());
        assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
    }

    @Test
    void aWriterFailureAboutTheTemporaryIsReportedAboutTheTarget(@TempDir Path dir) {
        Path target = dir.resolve("out.bin");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, tmp -> {
            throw new IOException(tmp + ": No space left on device");
        }));
        assertTrue(e.getMessage().startsWith(target + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void aMessageThatAlreadyNamesTheTargetIsKept(@TempDir Path dir) {
        Path target = dir.resolve("out.bin");
        IOException original = new IOException(target + ": too large");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, tmp -> {
            throw original;
        }));
        assertTrue(e == original);
    }
}
