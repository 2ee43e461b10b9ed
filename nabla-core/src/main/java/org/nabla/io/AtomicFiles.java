package org.nabla.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes files and directories so that readers see either the old complete version or the new complete one, never a
 * half-written file: the content goes to a temporary sibling (same folder, so the same file system), is forced to disk,
 * then renamed over the final name with {@code ATOMIC_MOVE}. A failure deletes the temporary and leaves the old file;
 * its exception names the file the caller asked for, never the hidden temporary (which the user has never heard of).
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Something that writes the content of a temporary file or directory. */
    @FunctionalInterface
    public interface Writer {
        void write(Path tmp) throws IOException;
    }

    /** Writes {@code bytes} to {@code file} atomically. */
    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) ch.write(b);
            }
        });
    }

    /**
     * Writes {@code file} atomically through {@code writer}, which fills the given temporary file (it exists, empty).
     * The parent folder is created if missing.
     */
    public static void write(Path file, Writer writer) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = null;
        try {
            tmp = createUnique(dir, "." + target.getFileName(), ".tmp", false);
            writer.write(tmp);
            force(tmp);
            move(tmp, target);
            forceDirectory(dir);
        } catch (IOException e) {
            throw naming(file, tmp, e);
        } finally {
            if (tmp != null) Files.deleteIfExists(tmp);
        }
    }

    /**
     * {@code e} said of {@code target} rather than of the temporary {@code tmp} (null before it exists), keeping the
     * kind of failure (permission denied, no such file...) so callers and the command line still recognise it.
     */
    static IOException naming(Path target, Path tmp, IOException e) {
        String file = target.toString();
        String message = String.valueOf(e.getMessage());
        if (message.contains(file) && (tmp == null || !message.contains(tmp.getFileName().toString()))) return e;
        String reason = e instanceof FileSystemException fs ? fs.getReason() : e.getMessage();
        if (reason == null) reason = e instanceof java.nio.file.NoSuchFileException ? "no such file or folder" : e.toString();
        if (tmp != null) reason = reason.replace(tmp.toString(), "its temporary file");
        IOException named = switch (e) {
            case AccessDeniedException ignored -> new AccessDeniedException(file, null, "permission denied");
            case FileSystemException ignored -> new FileSystemException(file, null, "cannot write it: " + reason);
            default -> new IOException(file + ": cannot write it: " + reason);
        };
        named.initCause(e);
        return named;
    }

    /**
     * Writes the directory {@code dir} atomically: {@code writer} fills a fresh temporary directory next to it, whose
     * files are then forced to disk and which is renamed to {@code dir}. An existing {@code dir} is replaced: it is
     * first renamed aside, then deleted once the new one is in place (so for a moment {@code dir} may be absent, but it
     * is never incomplete). On failure the temporary directory is deleted and an existing {@code dir} is untouched.
     * So that a mistyped path never deletes someone's folder, an existing non-empty {@code dir} is replaced only if
     * it holds a file named {@code marker} (what the writer writes, e.g. a saved model's signature file).
     */
    public static void writeDirectory(Path dir, String marker, Writer writer) throws IOException {
        Path target = dir.toAbsolutePath();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a directory");
        }
        if (Files.isDirectory(target) && !Files.isRegularFile(target.resolve(marker))) {
            try (Stream<Path> entries = Files.list(target)) {
                if (entries.findAny().isPresent()) {
                    throw new FileAlreadyExistsException(target.toString(), null, "exists, is not empty and has no "
                            + marker + "; refusing to replace it");
                }
            }
        }
        Path tmp = null;
        Path old = null;
        try {
            tmp = createUnique(parent, "." + target.getFileName(), ".tmp", true);
            writer.write(tmp);
            try (Stream<Path> files = Files.walk(tmp)) {
                for (Path p : files.filter(Files::isRegularFile).toList()) force(p);
            }
            forceDirectory(tmp);
            if (Files.exists(target)) {
                old = parent.resolve("." + target.getFileName() + ".old" + System.nanoTime());
                move(target, old);
            }
            try {
                move(tmp, target);
            } catch (IOException e) {
                if (old != null) move(old, target); // put the previous version back
                old = null;
                throw e;
            }
            forceDirectory(parent);
        } catch (IOException e) {
            throw naming(dir, tmp, e);
        } finally {
            if (tmp != null) deleteRecursively(tmp);
            if (old != null) deleteRecursively(old);
        }
    }

    /**
     * A new file or directory with a random name. Unlike {@code Files.createTempFile}, whose result is private to the
     * owner (0600), it gets the usual permissions (the umask), which the final file keeps after the rename.
     */
    private static Path createUnique(Path dir, String prefix, String suffix, boolean directory) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong(), 36) + suffix);
            try {
                return directory ? Files.createDirectory(p) : Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) throw e;
            }
        }
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (DirectoryNotEmptyException e) {
            throw new IOException("cannot replace " + to + ": it is a non-empty directory", e);
        }
    }

    private static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Makes a rename durable; some platforms cannot open a directory, which only weakens durability. */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> all = Files.walk(p)) {
            for (Path q : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
