package org.nabla.data.datasets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** npm-style tarballs for the loader tests: ustar entries, gzip-compressed, as {@code npm pack} writes them. */
final class TestTarballs {
    private TestTarballs() { }

    /** Writes {@code files} (path in the tar -> UTF-8 text) into the gzip tarball {@code file}, in map order. */
    static void write(Path file, Map<String, String> files) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (Map.Entry<String, String> f : files.entrySet()) entry(tar, f.getKey(), f.getValue().getBytes(StandardCharsets.UTF_8));
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
}
