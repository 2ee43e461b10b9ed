package org.nabla.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The doc-snippet extractor, wrapper and compiler on small made-up documents, broken ones included. */
class DocSnippetsTest {
    private static final String CLASS_PATH = System.getProperty("java.class.path");

    /** Parses, wraps and compiles {@code markdown} as file {@code name}; returns every problem. */
    private static List<String> check(String name, String markdown) {
        DocSnippets.Parsed parsed = DocSnippets.parse(name, markdown);
        List<String> problems = new ArrayList<>(parsed.problems());
        problems.addAll(DocSnippets.compile(DocSnippets.wrap(parsed.blocks(), problems), CLASS_PATH));
        return problems;
    }

    @Test
    void findsJavaBlocksWithTheirLinesDirectivesAndIndentation() {
        String md = """
                # Title
                <!-- an ordinary comment -->
                ```bash
                echo not java
                ```
                - a list item:

                  <!-- java-given: Tensor x; -->
                  ```java
                  Tensor y = x.relu();
                  ```
                <!-- java-continues -->
                ```java
                y.sum();
                ```
                """;
        DocSnippets.Parsed p = DocSnippets.parse("docs/a.md", md);
        assertEquals(List.of(), p.problems());
        assertEquals(2, p.blocks().size());
        DocSnippets.Block first = p.blocks().get(0), second = p.blocks().get(1);
        assertEquals(9, first.line());
        assertEquals(List.of("Tensor y = x.relu();"), first.code());
        assertEquals(List.of("Tensor x;"), first.given().lines());
        assertEquals(8, first.given().line());
        assertFalse(first.continues());
        assertTrue(second.continues());
        assertEquals(13, second.line());
        assertEquals(List.of(), DocSnippets.compile(DocSnippets.wrap(p.blocks(), new ArrayList<>()), CLASS_PATH));
    }

    @Test
    void aBrokenSnippetFailsNamingTheFileTheLineAndTheCompilerMessage() {
        String md = """
                # Reductions

                ```java
                Tensor m = Tensors.of(new float[][] {{1, 5, 5}, {7, 2, 7}});
                m.argMax(1);                         // the API is argmax
                ```
                """;
        List<String> problems = check("docs/broken.md", md);
        assertEquals(1, problems.size(), problems::toString);
        String p = problems.getFirst();
        assertTrue(p.startsWith("docs/broken.md:5: cannot find symbol"), p);
        assertTrue(p.contains("method argMax(int)"), p);
        assertTrue(p.contains("| m.argMax(1);"), p);
        assertTrue(p.contains("(java block at docs/broken.md:3)"), p);
    }

    @Test
    void aCompleteBlockCompilesWithTheImportsItShowsOnly() {
        String missing = """
                <!-- java-complete -->
                ```java
                Tensor x = Tensors.scalar(1f);
                ```
                """;
        List<String> problems = check("docs/complete.md", missing);
        assertTrue(!problems.isEmpty() && problems.getFirst().startsWith("docs/complete.md:3: cannot find symbol"),
                problems::toString);

        String shown = """
                <!-- java-complete -->
                ```java
                import org.nabla.Tensor;
                import org.nabla.Tensors;

                Tensor x = Tensors.scalar(1f);
                ```
                """;
        assertEquals(List.of(), check("docs/complete.md", shown));
    }

    @Test
    void flowErrorsAndTypeErrorsAreReportedToo() {
        String md = """
                ```java
                Tensor loss;
                float f = Ops.sum(loss);
                ```
                """;
        List<String> problems = check("docs/flow.md", md);
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.getFirst().startsWith("docs/flow.md:3: incompatible types"), problems::toString);

        List<String> unassigned = check("docs/flow.md", "```java\nTensor loss;\nloss.relu();\n```\n");
        assertTrue(unassigned.getFirst().startsWith("docs/flow.md:3: variable loss might not have been initialized"),
                unassigned::toString);
    }

    @Test
    void blocksAreSeparateUnlessTheyContinue() {
        String separate = """
                ```java
                Tensor x = Tensors.scalar(1f);
                ```

                ```java
                Tensor y = x.neg();
                ```
                """;
        List<String> problems = check("docs/s.md", separate);
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.getFirst().startsWith("docs/s.md:6: cannot find symbol"), problems::toString);

        String continued = separate.replace("\n\n```java\nTensor y", "\n\n<!-- java-continues -->\n```java\nTensor y");
        assertEquals(List.of(), check("docs/s.md", continued));
        // a block of its own may declare the same names again
        assertEquals(List.of(), check("docs/s.md", separate.replace("x.neg()", "Tensors.scalar(2f)")
                .replace("Tensor y", "Tensor x")));
    }

    @Test
    void importsAreHoistedAndDeclarationsBecomeMembers() {
        String md = """
                ```java
                import java.util.concurrent.atomic.AtomicInteger;

                record Pair(Tensor a, Tensor b) {}

                static Tensor twice(Tensor t) {
                    return t.mul(2);
                }

                @SuppressWarnings("unused")
                private static final AtomicInteger CALLS = new AtomicInteger();

                Pair p = new Pair(twice(Tensors.scalar(1f)), Tensors.scalar(2f));
                CALLS.incrementAndGet();
                ```

                ```java
                package com.example.training;

                // a comment before an import
                import org.nabla.nn.Sequential;

                public class Trainer {
                    Sequential model;
                    Tensor step(Tensor[] batch) { return model.call(batch[0]); }

                    public static void main(String[] args) {}
                }
                ```
                """;
        assertEquals(List.of(), check("docs/members.md", md));
    }

    @Test
    void givenDeclarationsMayBeFieldsAndMethodsOverSeveralLines() {
        String md = """
                <!-- java-given:
                Sequential model;
                Tensor step(Tensor[] batch) { return batch[0]; }
                -->
                ```java
                Tensor loss = step(new Tensor[] {model.predict(Tensors.of(new float[][] {{1}}))});
                ```
                """;
        assertEquals(List.of(), check("docs/given.md", md));
        List<String> problems = check("docs/given.md", md.replace("Sequential model;", "Sequentail model;"));
        assertTrue(problems.getFirst().startsWith("docs/given.md:2: cannot find symbol"), problems::toString);
    }

    @Test
    void misplacedOrIncompleteDirectivesAreProblems() {
        assertEquals(List.of("docs/d.md:1: java directive above a block that is not ```java"),
                DocSnippets.parse("docs/d.md", "<!-- java-given: Tensor x; -->\n```bash\nls\n```\n").problems());
        assertEquals(List.of("docs/d.md:1: java directive not followed by a ```java block"),
                DocSnippets.parse("docs/d.md", "<!-- java-continues -->\ntext\n```java\n```\n").problems());
        assertEquals(List.of("docs/d.md:1: unknown directive java-ignore (known: java-given, java-continues, "
                + "java-no-compile, java-complete)"),
                DocSnippets.parse("docs/d.md", "<!-- java-ignore -->\n```java\n```\n").problems());
        assertEquals(List.of("docs/d.md:1: java-no-compile needs a reason (java-no-compile: why)"),
                DocSnippets.parse("docs/d.md", "<!-- java-no-compile -->\n```java\n```\n").problems());
        assertEquals(List.of("docs/d.md:1: code fence is never closed"),
                DocSnippets.parse("docs/d.md", "```java\nint x;\n").problems());

        List<String> problems = new ArrayList<>();
        DocSnippets.wrap(DocSnippets.parse("docs/d.md", "<!-- java-continues -->\n```java\n```\n").blocks(), problems);
        assertEquals(List.of("docs/d.md:2: java-continues but no earlier java block in this file"), problems);
    }

    @Test
    void anExemptedBlockIsNotCompiled() {
        String md = """
                <!-- java-no-compile: shows a mistake on purpose -->
                ```java
                Tensor x = 1;
                ```
                """;
        DocSnippets.Parsed p = DocSnippets.parse("docs/e.md", md);
        assertEquals("shows a mistake on purpose", p.blocks().getFirst().noCompile());
        assertEquals(List.of(), check("docs/e.md", md));
        assertEquals(1, check("docs/e.md", md.lines().skip(1).reduce("", (a, b) -> a + b + "\n")).size());
    }

    @Test
    void membersAndStatementsAreToldApart() {
        assertTrue(Snippet.isMember("static Tensor rnn(Tensor x) {\n}\n"));
        assertTrue(Snippet.isMember("Tensor step(Tensor[] batch) {\n}\n"));
        assertTrue(Snippet.isMember("@Override\npublic String toString() { return \"\"; }\n"));
        assertTrue(Snippet.isMember("final class A {}\n"));
        assertTrue(Snippet.isMember("record P(int a) {}\n"));
        assertTrue(Snippet.isMember("private static final int T = 4;\n"));
        assertTrue(Snippet.isMember("<T> List<T> twice(T t) { return List.of(t, t); }\n"));
        assertFalse(Snippet.isMember("Tensor y = Ops.relu(x);\n"));
        assertFalse(Snippet.isMember("Map<String, Tensor> out = m.run(Map.of(\"x\", x));\n"));
        assertFalse(Snippet.isMember("System.out.println(x);\n"));
        assertFalse(Snippet.isMember("return foo(x);\n"));
        assertFalse(Snippet.isMember("new Thread(r).start();\n"));
        assertFalse(Snippet.isMember("final Tensor z = x;\n"));
        assertFalse(Snippet.isMember("for (Tensor[] batch : batches) {\n}\n"));
        assertFalse(Snippet.isMember("try (var s = g.asDefault()) {\n}\n"));
    }
}
