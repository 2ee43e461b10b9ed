package org.nabla.data.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.io.Json;

/** SpamAssassin's split, labels and model text, on a small tarball laid out like the npm package. */
class SpamAssassinTest {
    @TempDir Path dir;

    private static String message(String subject, String body) {
        return Json.write(Map.of("id", "1", "text", "From a@b  Thu Aug 22 2002\nReturn-Path: <a@b>\nSubject: "
                + subject + "\nX-Other: x\n\n" + body));
    }

    @Test
    void splitsEveryFifthMessageByChecksumOrderAndKeepsSubjectAndBody() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("package/data/file_list.json", "[]");   // not a message
        String[] md5 = {"9a", "01", "55", "f0", "33", "a1", "02"};
        String[] groups = {"spam-1", "easy-ham-1", "hard-ham-1", "spam-2", "easy-ham-2", "easy-ham-1", "spam-1"};
        for (int i = 0; i < md5.length; i++) {
            files.put("package/data/" + groups[i] + "/0000" + i + "." + md5[i] + ".json",
                    message("subject " + i, "body " + i + "\n\nmore"));
        }
        Path tgz = dir.resolve(SpamAssassin.TGZ);
        TestTarballs.write(tgz, files);
        SpamAssassin.Corpus c = SpamAssassin.load(tgz);
        // by checksum: 01 (1) 02 (6) 33 (4) 55 (2) 9a (0) a1 (5) f0 (3); test = positions 0 and 5
        assertEquals(List.of("subject 1\nbody 1\n\nmore", "subject 5\nbody 5\n\nmore"), c.test().texts());
        assertArrayEquals(new int[] {0, 0}, c.test().labels());
        assertEquals(List.of(6, 4, 2, 0, 3), c.train().texts().stream()
                .map(t -> Integer.parseInt(t.substring(8, 9))).toList());
        assertArrayEquals(new int[] {1, 0, 0, 1, 1}, c.train().labels());
    }

    @Test
    void modelTextIsTheSubjectAndTheBody() {
        assertEquals("Hi there\nline 1\r\nline 2".replace("\r\n", "\n"),
                SpamAssassin.modelText("From: x\r\nsubject:   Hi there  \r\nTo: y\r\n\r\nline 1\r\nline 2"));
        assertEquals("\n", SpamAssassin.modelText("No-Subject: here\n\n"));
        assertEquals("\n", SpamAssassin.modelText("only headers"));
    }

    @Test
    void aMissingTarballSaysHowToInstallIt() {
        var e = assertThrows(DatasetNotFoundException.class, () -> SpamAssassin.load(dir.resolve(SpamAssassin.TGZ)));
        assertTrue(e.getMessage().contains("scripts/setup-datasets.sh spam"), e.getMessage());
    }
}
