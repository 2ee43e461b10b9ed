package org.nabla.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No class of the user-facing API shares its simple name with a class of the JDK packages a program imports by
 * wildcard, so {@code import org.nabla.*; import java.util.function.*;} never makes a name ambiguous (issue 13:
 * {@code org.nabla.Function} did; it is {@code ConcreteFunction} now).
 */
class ApiNamesTest {
    private static final List<String> JDK_PACKAGES = List.of("java.lang", "java.util", "java.util.function",
            "java.util.stream", "java.io", "java.nio.file");

    @Test
    void noApiClassNameClashesWithACommonJdkName() {
        List<String> clashes = new ArrayList<>();
        for (Path file : PublicApiDocsTest.sources(DocFiles.root())) {
            String name = file.getFileName().toString().replace(".java", "");
            if (name.equals("package-info")) continue;
            for (String pkg : JDK_PACKAGES) {
                try {
                    Class.forName(pkg + "." + name, false, ClassLoader.getPlatformClassLoader());
                    clashes.add(DocFiles.name(DocFiles.root(), file) + " vs " + pkg + "." + name);
                } catch (ClassNotFoundException expected) {
                    // no clash
                }
            }
        }
        assertTrue(clashes.isEmpty(), "API classes named like JDK classes (ambiguous under wildcard imports): "
                + clashes);
    }
}
