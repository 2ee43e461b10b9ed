package org.nabla.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.nabla.Tensor;
import org.nabla.io.AtomicFiles;
import org.nabla.onnx.proto.ModelProto;
import org.nabla.onnx.proto.OptionalProto;
import org.nabla.onnx.proto.SequenceProto;
import org.nabla.onnx.proto.TensorProto;
import org.nabla.onnx.proto.TypeProto;

/**
 * Reading and writing .onnx model files and .pb tensor files. Reading parses the whole file in memory (protobuf
 * checks every length against the bytes really present) and rejects what is not an ONNX model; writing is atomic.
 */
public final class OnnxFiles {
    /** Sub-graphs nest (If inside Loop...); deeper nesting than this is treated as a corrupt file. */
    private static final int RECURSION_LIMIT = 200;

    private OnnxFiles() {}

    /**
     * Reads and checks the model in {@code file}, with the bytes of initializers kept in external data files beside
     * it (PyTorch's dynamo exporter writes {@code model.onnx.data}) read in.
     */
    public static ModelProto readModel(Path file) throws IOException {
        byte[] bytes = readAll(file);
        ModelProto m;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(RECURSION_LIMIT);
            m = ModelProto.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxException(file + ": not a valid ONNX model (truncated or corrupt protobuf: "
                    + e.getMessage() + ")", e);
        }
        if (!m.hasGraph() || m.getIrVersion() <= 0) {
            throw new OnnxException(file + ": not an ONNX model (" + (m.hasGraph() ? "no ir_version" : "no graph")
                    + "; " + bytes.length + " bytes read)");
        }
        return ExternalData.inline(m, file);
    }

    /** Reads one TensorProto file (the test_data_set_N/input_K.pb files of ONNX's test cases). */
    public static Tensor readTensor(Path file) throws IOException {
        byte[] bytes = readAll(file);
        try {
            return OnnxTensors.toTensor(TensorProto.parseFrom(bytes), file.toString());
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxException(file + ": not a valid ONNX tensor file (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads a value file of ONNX's test cases as the value of {@code type}: a TensorProto for a tensor, a
     * SequenceProto for a sequence, an OptionalProto for an optional.
     */
    public static OnnxValue readValue(Path file, TypeProto type) throws IOException {
        byte[] bytes = readAll(file);
        try {
            return switch (type.getValueCase()) {
                case SEQUENCE_TYPE -> OnnxValues.fromProto(SequenceProto.parseFrom(bytes), file.toString(),
                        OnnxValues.declaredElementType(type));
                case OPTIONAL_TYPE -> OnnxValues.fromProto(OptionalProto.parseFrom(bytes), file.toString());
                default -> OnnxValue.of(OnnxTensors.toTensor(TensorProto.parseFrom(bytes), file.toString()));
            };
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxException(file + ": not a valid ONNX value file (" + e.getMessage() + ")", e);
        }
    }

    /** Writes {@code model} to {@code file} atomically. */
    public static void writeModel(Path file, ModelProto model) throws IOException {
        AtomicFiles.write(file, model.toByteArray());
    }

    private static byte[] readAll(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
    }
}
