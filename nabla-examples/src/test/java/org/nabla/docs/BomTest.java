package org.nabla.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** nabla-bom manages every artifact the build makes, at the build's version, and nothing else. */
class BomTest {
    private static List<String> all(Pattern p, String text) {
        List<String> found = new ArrayList<>();
        for (Matcher m = p.matcher(text); m.find(); ) found.add(m.group(1));
        return found;
    }

    @Test
    void theBomListsEveryModuleAndNothingElse() throws IOException {
        Path root = DocFiles.root();
        String parent = Files.readString(root.resolve("pom.xml"));
        String bom = Files.readString(root.resolve("nabla-bom/pom.xml"));
        List<String> modules = all(Pattern.compile("<module>([^<]+)</module>"), parent);
        modules.remove("nabla-bom");
        String managed = bom.substring(bom.indexOf("<dependencyManagement>"), bom.indexOf("</dependencyManagement>"));
        assertEquals(modules, all(Pattern.compile("<artifactId>([^<]+)</artifactId>"), managed));
        assertEquals(List.of("org.nabla"), all(Pattern.compile("<groupId>([^<]+)</groupId>"), managed).stream()
                .distinct().toList(), "the BOM pins only Nabla's artifacts");
        String version = all(Pattern.compile("<version>([^<]+)</version>"), parent).get(0);
        assertTrue(bom.contains("<version>" + version + "</version>"), "nabla-bom's version is not " + version);
        assertTrue(!bom.contains("<parent>"), "nabla-bom must not inherit nabla-parent (its dependencyManagement)");
    }
}
