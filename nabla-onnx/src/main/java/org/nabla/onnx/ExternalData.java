package org.nabla.onnx;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.nabla.onnx.proto.GraphProto;
import org.nabla.onnx.proto.ModelProto;
import org.nabla.onnx.proto.StringStringEntryProto;
import org.nabla.onnx.proto.TensorProto;

/**
 * Initializers whose bytes live in files beside the model (ONNX's external data: {@code location}, {@code offset},
 * {@code length}; PyTorch's dynamo exporter writes {@code model.onnx.data}), read into the model when it is loaded.
 * A location must stay inside the model's folder: an absolute path, or one that climbs out with {@code ..}, is
 * refused, so a model file cannot make Nabla read arbitrary files.
 */
final class ExternalData {
    private ExternalData() {}

    /** {@code model} with every external initializer's bytes read from beside {@code modelFile} into raw_data. */
    static ModelProto inline(ModelProto model, Path modelFile) throws IOException {
        if (!usesExternalData(model.getGraph())) return model;
        Path folder = modelFile.toAbsolutePath().normalize().getParent();
        ModelProto.Builder b = model.toBuilder();
        GraphProto.Builder g = b.getGraphBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            if (isExternal(t)) g.setInitializer(i, read(t, folder, modelFile));
        }
        return b.build();
    }

    private static boolean usesExternalData(GraphProto g) {
        return g.getInitializerList().stream().anyMatch(ExternalData::isExternal);
    }

    private static boolean isExternal(TensorProto t) {
        return t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0;
    }

    private static TensorProto read(TensorProto t, Path folder, Path modelFile) throws IOException {
        String what = modelFile + ": initializer '" + t.getName() + "'";
        String location = null;
        long offset = 0, length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = parse(e.getValue(), what, "offset");
                case "length" -> length = parse(e.getValue(), what, "length");
                default -> { } // checksum and basepath are not needed to read the bytes
            }
        }
        if (location == null || location.isEmpty()) throw new OnnxException(what + " has external data but no location");
        Path file = folder.resolve(location).normalize();
        if (Path.of(location).isAbsolute() || !file.startsWith(folder)) {
            throw new OnnxException(what + ": external data location '" + location + "' leaves the model's folder "
                    + folder + "; Nabla reads external data only from beside the model");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (length < 0) length = size - offset;
            if (offset < 0 || offset > size || length > size - offset || length > Integer.MAX_VALUE) {
                throw new OnnxException(what + ": external data at offset " + offset + ", length " + length
                        + " does not fit in " + file.getFileName() + " (" + size + " bytes)");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) length);
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) throw new OnnxException(what + ": " + file + " ended early");
            }
            buf.flip();
            return t.toBuilder().clearExternalData().clearDataLocation().setRawData(ByteString.copyFrom(buf)).build();
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, what + "'s external data file is missing");
        }
    }

    private static long parse(String v, String what, String key) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new OnnxException(what + ": external data " + key + " '" + v + "' is not a number");
        }
    }
}
