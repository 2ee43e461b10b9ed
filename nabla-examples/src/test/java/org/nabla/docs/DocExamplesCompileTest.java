package org.nabla.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every ```java block of README.md and docs/ compiles against the current API (conventions in {@link DocSnippets} and
 * docs/design.md). A failure names the markdown file and line, the compiler's message and the offending line.
 */
class DocExamplesCompileTest {
    /**
     * The blocks marked {@code <!-- java-no-compile: why -->}, as "file: why". Each must be justified here: an example
     * that truly cannot compile (a deliberately wrong one). Adding a marker without adding it here fails the test.
     */
    private static final Set<String> EXEMPTIONS = Set.of();

    /** The docs a new user copies from first show at least one example with all its imports ({@code java-complete}). */
    private static final List<String> NEED_COMPLETE_EXAMPLES = List.of("README.md", "docs/use-as-library.md",
            "docs/saved-model.md");

    @Test
    void theFirstDocsAUserReadsHaveCompleteExamples() {
        Path root = DocFiles.root();
        for (String name : NEED_COMPLETE_EXAMPLES) {
            DocSnippets.Parsed parsed = DocSnippets.parse(name, DocFiles.read(root.resolve(name)));
            assertTrue(parsed.blocks().stream().anyMatch(DocSnippets.Block::complete),
                    name + " has no <!-- java-complete --> block: a user copying from it must see the imports too");
        }
    }

    /** The README is copied from first: every one of its blocks shows its imports (issue 13: the graph tour did not). */
    @Test
    void everyJavaBlockOfTheReadmeShowsItsImports() {
        DocSnippets.Parsed parsed = DocSnippets.parse("README.md", DocFiles.read(DocFiles.root().resolve("README.md")));
        List<String> incomplete = parsed.blocks().stream().filter(b -> !b.complete() && !b.continues())
                .map(DocSnippets.Block::where).toList();
        assertTrue(incomplete.isEmpty(), "README.md blocks without <!-- java-complete --> (their imports not shown): "
                + incomplete);
    }

    @Test
    void everyJavaBlockOfTheDocsCompiles() {
        Path root = DocFiles.root();
        List<DocSnippets.Block> blocks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path file : DocFiles.markdown(root)) {
            DocSnippets.Parsed parsed = DocSnippets.parse(DocFiles.name(root, file), DocFiles.read(file));
            blocks.addAll(parsed.blocks());
            problems.addAll(parsed.problems());
        }
        List<DocSnippets.Unit> units = DocSnippets.wrap(blocks, problems);
        problems.addAll(DocSnippets.compile(units, System.getProperty("java.class.path")));
        assertTrue(units.size() > 40, "found only " + units.size() + " java blocks to compile; is the root right?");
        assertTrue(problems.isEmpty(), problems.size() + " problems in the docs' java blocks:\n\n"
                + String.join("\n\n", problems));

        Set<String> exempted = new TreeSet<>();
        for (DocSnippets.Block b : blocks) if (b.noCompile() != null) exempted.add(b.file() + ": " + b.noCompile());
        assertEquals(new TreeSet<>(EXEMPTIONS), exempted,
                "java-no-compile markers must match DocExamplesCompileTest.EXEMPTIONS (each justified there)");
    }
}
