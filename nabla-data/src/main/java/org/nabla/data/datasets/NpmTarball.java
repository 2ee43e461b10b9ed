package org.nabla.data.datasets;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/** Reads files out of an npm package tarball (a gzip-compressed tar; a minimal ustar reader: regular files only). */
final class NpmTarball {
    private NpmTarball() {}

    /** Receives one wanted file: its path in the tar ({@code package/...}) and its bytes. */
    interface FileVisitor {
        void file(String name, byte[] data) throws IOException;
    }

    /**
     * Calls {@code visitor} for each regular file whose name {@code wanted} accepts, refusing any of more than
     * {@code maxEntry} bytes; a corrupt or truncated tarball is an IOException naming it.
     */
    static void read(Path tgz, Predicate<String> wanted, long maxEntry, FileVisitor visitor) throws IOException {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz), 1 << 16), 1 << 16)) {
            byte[] header = new byte[512];
            while (true) {
                int got = in.readNBytes(header, 0, 512);
                if (got == 0) break;
                if (got < 512) throw new IOException(tgz + ": truncated tar header");
                if (allZero(header)) break;
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) name = prefix + "/" + name;
                long size = octal(header, 124, 12, tgz);
                byte type = header[156];
                long padded = (size + 511) / 512 * 512;
                if ((type == '0' || type == 0) && wanted.test(name)) {
                    if (size > maxEntry) throw new IOException(tgz + ": entry " + name + " claims " + size
                            + " bytes, more than the " + maxEntry + " expected");
                    byte[] data = in.readNBytes((int) size);
                    if (data.length < size) throw new IOException(tgz + ": truncated inside " + name);
                    visitor.file(name, data);
                    in.skipNBytes(padded - size);
                } else {
                    in.skipNBytes(padded);
                }
            }
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            throw new IOException(tgz + ": corrupt or truncated npm package (" + e.getMessage() + ")", e);
        }
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static String field(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) end++;
        return new String(h, off, end - off, StandardCharsets.US_ASCII);
    }

    private static long octal(byte[] h, int off, int len, Path file) throws IOException {
        String s = field(h, off, len).trim();
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": corrupt tar header (size field '" + s + "')", e);
        }
    }
}
