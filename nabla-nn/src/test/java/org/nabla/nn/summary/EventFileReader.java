package org.nabla.nn.summary;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.nabla.nn.summary.proto.Event;

/**
 * The tests' TFRecord reader: the records of an event file with both checksums verified, and whether the file ends
 * in a record cut short (what a killed writer may leave). A bad checksum anywhere is an error: a torn middle record
 * must never happen.
 */
record EventFileReader(List<byte[]> records, boolean truncatedTail) {
    static EventFileReader read(Path file) throws IOException { return parse(Files.readAllBytes(file)); }

    static EventFileReader parse(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> records = new ArrayList<>();
        while (b.hasRemaining()) {
            if (b.remaining() < 12) return new EventFileReader(records, true);
            int at = b.position();
            long length = b.getLong();
            int lengthCrc = b.getInt();
            if (lengthCrc != TfRecords.maskedCrc32c(bytes, at, 8)) {
                throw new IllegalStateException("bad length checksum of the record at byte " + at);
            }
            if (b.remaining() < length + 4) return new EventFileReader(records, true);
            byte[] data = new byte[(int) length];
            b.get(data);
            if (b.getInt() != TfRecords.maskedCrc32c(data, 0, data.length)) {
                throw new IllegalStateException("bad data checksum of the record at byte " + at);
            }
            records.add(data);
        }
        return new EventFileReader(records, false);
    }

    List<Event> events() {
        return records.stream().map(r -> {
            try {
                return Event.parseFrom(r);
            } catch (IOException e) {
                throw new IllegalStateException("a record is not an Event: " + e.getMessage(), e);
            }
        }).toList();
    }

    /** The one event file in {@code dir}. */
    static Path onlyFile(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).toList();
            if (files.size() != 1) throw new IllegalStateException("expected one event file in " + dir + ": " + files);
            return files.get(0);
        }
    }
}
