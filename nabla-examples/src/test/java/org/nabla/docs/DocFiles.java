package org.nabla.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The repository's documentation: README.md and every markdown file under docs/, found from the test's folder. */
final class DocFiles {
    private DocFiles() {}

    /** The repository root: the nearest folder at or above the working directory holding README.md and docs/. */
    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs"))) return p;
        }
        throw new IllegalStateException("no folder holding README.md and docs/ above " + Path.of("").toAbsolutePath());
    }

    /** README.md, then docs/**&#47;*.md in path order. */
    static List<Path> markdown(Path root) {
        List<Path> files = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> s = Files.walk(root.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** {@code file}'s path from the root with '/' separators, as failures name it. */
    static String name(Path root, Path file) { return root.relativize(file).toString().replace('\\', '/'); }

    static String read(Path file) {
        try {
            return Files.readString(file).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
