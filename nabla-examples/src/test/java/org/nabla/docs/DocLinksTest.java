package org.nabla.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link of README.md and docs/ points at a file of the repository (so it works from a fresh clone), and
 * a {@code #fragment} into a markdown file names one of its headings (GitHub's anchors).
 */
class DocLinksTest {
    private static final Pattern INLINE_LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE_DEFINITION = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(\\s.*)?$");
    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*:|//).*");
    private static final Pattern FENCE = Pattern.compile("^ *(`{3,}|~{3,}).*");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");

    @Test
    void everyRelativeLinkOfTheDocsResolves() {
        Path root = DocFiles.root();
        List<String> problems = new ArrayList<>();
        int links = 0;
        for (Path file : DocFiles.markdown(root)) {
            List<Link> found = links(DocFiles.read(file));
            links += found.size();
            problems.addAll(check(root, file, found));
        }
        assertTrue(links > 30, "found only " + links + " links; is the root right?");
        assertTrue(problems.isEmpty(), problems.size() + " broken links:\n" + String.join("\n", problems));
    }

    @Test
    void brokenLinksAreReported(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("docs/ops"));
        Files.writeString(root.resolve("docs/a.md"), "# A\n\n## Gradients through control flow (issue 3)\n");
        String md = """
                [ok](a.md) [ok anchor](a.md#gradients-through-control-flow-issue-3) [web](https://onnx.ai)
                [missing](b.md) [bad anchor](a.md#nowhere) [outside](../../shared/ARCHITECTURE.md)
                `[in code](nothing.md)`

                ```
                [in a fence](nothing.md)
                ```
                [self](#title) [no such heading](#other)

                [ref]: ops/none.md

                # Title
                """;
        Path file = root.resolve("docs/index.md");
        Files.writeString(file, md);
        List<String> problems = check(root, file, links(md));
        assertEquals(List.of(
                "docs/index.md:2: b.md: no such file",
                "docs/index.md:2: a.md#nowhere: no heading with anchor 'nowhere' in docs/a.md",
                "docs/index.md:2: ../../shared/ARCHITECTURE.md: outside the repository (a fresh clone lacks it)",
                "docs/index.md:8: #other: no heading with anchor 'other' in docs/index.md",
                "docs/index.md:10: ops/none.md: no such file"), problems);
    }

    @Test
    void anchorsFollowGitHub() {
        assertEquals(List.of("eager-memory-tensorscope", "traced-training-step-issue-3", "nablas-cli-nabla-bench",
                        "a-b", "a-b-1"),
                List.copyOf(anchors("## Eager memory: TensorScope\n### Traced training step (issue 3)\n"
                        + "# Nabla's CLI: `nabla bench`\n## A b\n## A b\n")));
    }

    /** A link target and the line it is on. */
    record Link(int line, String target) {}

    /** The links of a markdown text, outside code fences and code spans. */
    static List<Link> links(String markdown) {
        List<Link> out = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        String fence = null;
        for (int i = 0; i < lines.length; i++) {
            Matcher f = FENCE.matcher(lines[i]);
            if (fence == null && f.matches()) {
                fence = f.group(1);
                continue;
            }
            if (fence != null) {
                if (DocSnippets.closes(lines[i], fence)) fence = null;
                continue;
            }
            String text = lines[i].replaceAll("`[^`]*`", "");
            Matcher m = INLINE_LINK.matcher(text);
            while (m.find()) out.add(new Link(i + 1, m.group(1)));
            Matcher r = REFERENCE_DEFINITION.matcher(text);
            if (r.matches()) out.add(new Link(i + 1, r.group(1)));
        }
        return out;
    }

    /** What is wrong with the relative links of {@code file}, one line each. */
    static List<String> check(Path root, Path file, List<Link> links) {
        List<String> problems = new ArrayList<>();
        Map<Path, Set<String>> anchorCache = new HashMap<>();
        String name = DocFiles.name(root, file);
        for (Link link : links) {
            String target = link.target();
            if (SCHEME.matcher(target).matches()) continue;
            int hash = target.indexOf('#');
            String path = hash < 0 ? target : target.substring(0, hash);
            String fragment = hash < 0 ? null : target.substring(hash + 1);
            Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
            String where = name + ":" + link.line() + ": " + target + ": ";
            if (!resolved.startsWith(root)) {
                problems.add(where + "outside the repository (a fresh clone lacks it)");
            } else if (!Files.exists(resolved)) {
                problems.add(where + "no such file");
            } else if (fragment != null && resolved.toString().endsWith(".md")) {
                Set<String> anchors = anchorCache.computeIfAbsent(resolved, p -> anchors(DocFiles.read(p)));
                if (!anchors.contains(fragment)) {
                    problems.add(where + "no heading with anchor '" + fragment + "' in " + DocFiles.name(root, resolved));
                }
            }
        }
        return problems;
    }

    /** The anchors GitHub gives the headings of a markdown text, in order. */
    static Set<String> anchors(String markdown) {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        String fence = null;
        for (String line : markdown.split("\n", -1)) {
            Matcher f = FENCE.matcher(line);
            if (f.matches()) {
                if (fence == null) fence = f.group(1);
                else if (DocSnippets.closes(line, fence)) fence = null;
                continue;
            }
            if (fence != null) continue;
            Matcher h = HEADING.matcher(line);
            if (!h.matches()) continue;
            String slug = h.group(1).toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "")
                    .replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum) - 1;
            out.add(n == 0 ? slug : slug + "-" + n);
        }
        return out;
    }
}
