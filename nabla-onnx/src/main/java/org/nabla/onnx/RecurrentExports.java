package org.nabla.onnx;

import static org.nabla.onnx.OnnxGraphWriter.attr;
import static org.nabla.onnx.OnnxGraphWriter.in;

import java.util.List;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.graph.Node;
import org.nabla.onnx.proto.AttributeProto;

/**
 * Export rules for the fused recurrent loops of nabla-nn's LSTM, GRU and SimpleRNN layers ({@code LstmSequence},
 * {@code GruSequence}, {@code SimpleRnnSequence}) as ONNX's LSTM, GRU and RNN operators, which runtimes run as one
 * kernel. The loops take the input
 * projection {@code xw = x·W + b} already computed, so the ONNX operator gets {@code xw} as its input with an
 * identity input kernel W (rows reordered from Keras' gate order i, f, c, o to ONNX's i, o, f, c for the LSTM;
 * both use z, r, h for the GRU, which exports with {@code linear_before_reset = 1}: Keras' {@code reset_after}).
 * <p>
 * A mask becomes {@code sequence_lens} (the count of unmasked steps of each example), which is the same computation
 * when each example's padding comes after its steps, as {@code Embedding(maskZero)} gives for a
 * {@code TextVectorizer}'s output. A mask with holes cannot be written as lengths: such examples get NaN outputs
 * from the exported model rather than silently different numbers. Outputs are in the loop's processing order (time
 * reversed for {@code goBackwards}); at padded steps the forward loop repeats its last output unless
 * {@code zeroOutputForMask}, as Keras' {@code backend.rnn} does, where ONNX writes zeros: the rule restores that.
 */
final class RecurrentExports {
    private RecurrentExports() {}

    static void register(ExportOperators r) {
        r.rule("LstmSequence", (n, w) -> loop(n, w, Cell.LSTM));
        r.rule("GruSequence", (n, w) -> loop(n, w, Cell.GRU));
        r.rule("SimpleRnnSequence", (n, w) -> loop(n, w, Cell.RNN));
    }

    /** The loop's cell: the ONNX operator, its gates, and where the loop op has its initial state and mask. */
    private enum Cell {
        LSTM(4, 2, 4), GRU(3, 3, 4), RNN(1, 2, 3);

        final int gates, h0Input, maskInput;

        Cell(int gates, int h0Input, int maskInput) {
            this.gates = gates;
            this.h0Input = h0Input;
            this.maskInput = maskInput;
        }
    }

    private static void loop(Node n, OnnxGraphWriter w, Cell cell) {
        boolean lstm = cell == Cell.LSTM;
        Shape xw = n.inputs().get(0).spec().shape();   // [batch, time, gates * units]
        int gates = cell.gates, units = n.outputSpec(1).shape().dim(1), width = gates * units;
        int time = xw.dim(1);
        if (time == Shape.UNKNOWN || units == Shape.UNKNOWN) {
            throw new OnnxException("ONNX export: node '" + n.name() + "' (" + n.op().name() + ") needs a known "
                    + "number of timesteps and units, got input " + xw + " and state " + n.outputSpec(1).shape());
        }
        boolean backwards = n.attrs().getBool("goBackwards"), zeroMasked = n.attrs().getBool("zeroOutputForMask");
        int[] kerasGate = lstm ? new int[] {0, 3, 1, 2} : new int[] {0, 1, 2};   // ONNX gate g reads Keras gate
        float[] identity = new float[width * width];
        for (int g = 0; g < gates; g++) {
            for (int j = 0; j < units; j++) identity[(g * units + j) * width + kerasGate[g] * units + j] = 1;
        }
        String kernel = w.initializer(Tensor.wrap(DType.FLOAT32, Shape.of(1, width, width), identity),
                n.name() + "/identity_W");
        String x = w.temp(n, "Transpose", in(w.input(n, 0)), attr("perm", 1, 0, 2));   // [time, batch, width]
        String u = w.input(n, 1);   // [units, gates * units], Keras' order
        if (lstm) {
            List<String> blocks = List.of(w.fresh(n.name() + "/u_i"), w.fresh(n.name() + "/u_f"),
                    w.fresh(n.name() + "/u_c"), w.fresh(n.name() + "/u_o"));
            w.add(n, "Split", in(u, w.int64s(n, "u_blocks", units, units, units, units)), blocks, attr("axis", 1));
            u = w.temp(n, "Concat", in(blocks.get(0), blocks.get(3), blocks.get(1), blocks.get(2)), attr("axis", 1));
        }
        String recurrent = w.temp(n, "Unsqueeze", in(w.temp(n, "Transpose", in(u), attr("perm", 1, 0)),
                w.int64s(n, "axis0", 0)));
        String bias = "";
        if (cell == Cell.GRU) {   // the input bias is in xw already; the recurrent one is input 2 (an RNN has none)
            String zeros = w.initializer(Tensor.wrap(DType.FLOAT32, Shape.of(width), new float[width]),
                    n.name() + "/zero_Wb");
            bias = w.temp(n, "Unsqueeze", in(w.temp(n, "Concat", in(zeros, w.input(n, 2)), attr("axis", 0)),
                    w.int64s(n, "axis0", 0)));
        }
        boolean masked = n.inputs().get(cell.maskInput).spec().shape().rank() == 2;   // else a scalar: no mask
        String mask = masked ? w.input(n, cell.maskInput) : null;
        String lens = masked ? w.temp(n, "Cast", in(w.temp(n, "ReduceSum", in(w.temp(n, "Cast", in(mask),
                attr("to", 6L)), w.int64s(n, "time_axis", 1)), attr("keepdims", 0L))), attr("to", 6L)) : "";
        String h0 = w.temp(n, "Unsqueeze", in(w.input(n, cell.h0Input), w.int64s(n, "axis0", 0)));
        List<String> inputs = in(x, kernel, recurrent, bias, lens, h0);
        if (lstm) inputs.add(w.temp(n, "Unsqueeze", in(w.input(n, 3), w.int64s(n, "axis0", 0))));
        String y = w.fresh(n.name() + "/Y"), yh = w.fresh(n.name() + "/Y_h"), yc = w.fresh(n.name() + "/Y_c");
        AttributeProto size = attr("hidden_size", (long) units);
        AttributeProto direction = attr("direction", backwards ? "reverse" : "forward");
        if (lstm) {
            w.add(n, "LSTM", inputs, List.of(y, yh, yc), size, direction);
        } else if (cell == Cell.GRU) {
            w.add(n, "GRU", inputs, List.of(y, yh), size, direction, attr("linear_before_reset", 1L));
        } else {
            // ONNX's default activation is Tanh; a relu loop names its own
            String act = n.attrs().getString("activation").equals("RELU") ? "Relu" : "Tanh";
            w.add(n, "RNN", inputs, List.of(y, yh), size, direction, AttributeProto.newBuilder().setName("activations")
                    .setType(AttributeProto.AttributeType.STRINGS)
                    .addStrings(com.google.protobuf.ByteString.copyFromUtf8(act)).build());
        }
        String squeezed = w.temp(n, "Squeeze", in(y, w.int64s(n, "axis1", 1)));
        String out = w.temp(n, "Transpose", in(squeezed), attr("perm", 1, 0, 2));   // [batch, time, units]
        String h = w.temp(n, "Squeeze", in(yh, w.int64s(n, "axis0", 0)));
        String c = lstm ? w.temp(n, "Squeeze", in(yc, w.int64s(n, "axis0", 0))) : null;
        if (masked) {
            long[] steps = new long[time];
            for (int t = 0; t < steps.length; t++) steps[t] = t;
            String valid = w.temp(n, "Less", in(w.int64s(n, "steps", steps), w.temp(n, "Unsqueeze",
                    in(w.temp(n, "Cast", in(lens), attr("to", 7L)), w.int64s(n, "axis1", 1)))));   // [batch, time]
            if (!backwards && !zeroMasked) {   // padded steps repeat the last output
                out = w.temp(n, "Where", in(w.temp(n, "Unsqueeze", in(valid, w.int64s(n, "axis2", 2))), out,
                        w.temp(n, "Unsqueeze", in(h, w.int64s(n, "axis1", 1)))));
            }
            // 1 for an example whose mask is its first lens steps, NaN for a mask with holes
            String holes = w.temp(n, "ReduceMax", in(w.temp(n, "Cast", in(w.temp(n, "Xor", in(valid, mask))),
                    attr("to", 1L))), attr("axes", new int[] {1}), attr("keepdims", 0L));
            String scale = w.temp(n, "Where", in(w.temp(n, "Greater", in(holes, w.scalar(n, "zero", DType.FLOAT32,
                    0))), w.scalar(n, "nan", DType.FLOAT32, Double.NaN), w.scalar(n, "one", DType.FLOAT32, 1)));
            String column = w.temp(n, "Unsqueeze", in(scale, w.int64s(n, "axis1", 1)));   // [batch, 1]
            out = w.temp(n, "Mul", in(out, w.temp(n, "Unsqueeze", in(column, w.int64s(n, "axis2", 2)))));
            h = w.temp(n, "Mul", in(h, column));
            if (lstm) c = w.temp(n, "Mul", in(c, column));
        }
        if (backwards) {   // the loop's outputs are in processing order: the last timestep first
            out = w.temp(n, "Slice", in(out, w.int64s(n, "start", -1), w.int64s(n, "end", Long.MIN_VALUE),
                    w.int64s(n, "axis1", 1), w.int64s(n, "step", -1)));
        }
        w.result(n, 0, "Identity", in(out));
        w.result(n, 1, "Identity", in(h));
        if (lstm) w.result(n, 2, "Identity", in(c));
    }
}
