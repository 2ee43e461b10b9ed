package org.nabla.ops;

import org.nabla.DType;
import org.nabla.Shape;

/**
 * Ops made by graph optimization rather than written by users. {@code FusedElementwise} evaluates a chain of float32
 * elementwise ops in one pass over memory: its {@code program} attribute is a postfix instruction list over its
 * inputs, as pairs {@code (opcode, argument)} (see {@link Fn} and docs/graph-optimization.md). Inputs broadcast
 * against each other with NumPy's rules, as the ops they replace did. It is not differentiable: fusion runs after
 * gradients are built.
 */
public final class FusedOps {
    private FusedOps() {}

    /** The deepest evaluation stack a program may need. */
    public static final int MAX_STACK = 64;

    /** The instructions of a fused program: a stack machine, each pushing one value per element. */
    public enum Fn {
        /** Pushes input {@code argument}. */
        LOAD(0, 0, null),
        NEG(1, 1, "Neg"), ABS(2, 1, "Abs"), SQUARE(3, 1, "Square"), EXP(4, 1, "Exp"), LOG(5, 1, "Log"),
        SQRT(6, 1, "Sqrt"), RSQRT(7, 1, "Rsqrt"), RECIPROCAL(8, 1, "Reciprocal"), TANH(9, 1, "Tanh"),
        RELU(10, 1, "Relu"), SIGMOID(11, 1, "Sigmoid"),
        /** x if x > 0 else alpha * x, alpha being {@code params[argument]}. */
        LEAKY_RELU(12, 1, "LeakyRelu"),
        SIN(13, 1, "Sin"), COS(14, 1, "Cos"), LOG1P(15, 1, "Log1p"), RELU6(16, 1, "Relu6"),
        ADD(20, 2, "Add"), SUB(21, 2, "Sub"), MUL(22, 2, "Mul"), DIV(23, 2, "Div"), MAXIMUM(24, 2, "Maximum"),
        MINIMUM(25, 2, "Minimum");

        private static final Fn[] BY_CODE = new Fn[32];

        static {
            for (Fn f : values()) BY_CODE[f.code] = f;
        }

        /** The opcode stored in programs (stable: part of the graph file format). */
        public final int code;
        /** Values popped: 0 for LOAD, 1 for unary, 2 for binary functions. */
        public final int arity;
        /** The op this instruction computes, null for LOAD. */
        public final String opName;

        Fn(int code, int arity, String opName) {
            this.code = code;
            this.arity = arity;
            this.opName = opName;
        }

        /** The instruction with this opcode, or null. */
        public static Fn ofCode(int code) { return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null; }

        /** The instruction computing op {@code opName}, or null if that op cannot be fused. */
        public static Fn forOp(String opName) {
            for (Fn f : values()) if (opName.equals(f.opName)) return f;
            return null;
        }
    }

    public static final OpDef FUSED_ELEMENTWISE = OpDef.builder("FusedElementwise").variadicInput("inputs", 1)
            .attr("program", AttrType.INTS)
            .attr("params", AttrType.FLOATS, new double[0])
            .shape(FusedOps::fusedShape)
            .notDifferentiable().internal()
            .summary("a chain of float32 elementwise ops evaluated in one pass: 'program' is a postfix list of "
                    + "(opcode, argument) pairs over the inputs, 'params' holds constants such as LeakyRelu's alpha")
            .build();

    /**
     * Conv2D + bias + optional ReLU in one op (NHWC float32): {@code activation} is "NONE" or "RELU". Made by graph
     * optimization from Conv2D followed by BiasAdd (+ Relu) or BiasRelu, so the bias and the activation are applied
     * to each output tile while it is in registers instead of in extra passes over the output. {@code maxPool} p
     * above 1 also takes the MaxPool2D (p x p windows, stride p, VALID) that followed it, so the convolution's output
     * is pooled while in cache and never stored (inference graphs: training keeps that output for the gradients).
     */
    public static final OpDef FUSED_CONV2D = NnOps.convAttrs(OpDef.builder("FusedConv2D")
                    .inputs("input", "filter", "bias"))
            .attr("activation", AttrType.STRING, "NONE")
            .attr("maxPool", AttrType.INT, 1)
            .shape(FusedOps::fusedConvShape)
            .notDifferentiable().internal()
            .summary("maxpool(activation(conv2d(input, filter) + bias)), NHWC float32; activation NONE or RELU; "
                    + "maxPool p: p x p windows, stride p, VALID (1: none)").build();

    /**
     * FusedConv2D followed by MaxPoolWithArgmax, for training graphs (NHWC float32): outputs the maxima of
     * activation(conv2d(input, filter) + bias) over p x p windows at stride p (VALID), each maximum's int32 flat index
     * into that activation (MaxPoolWithArgmax's numbering), and a stand-in for the activation itself that carries only
     * its shape (every element reads 0): the activation is never stored, and max pooling's fused gradient
     * (MaxPoolBiasReluGrad) needs no more than its shape. Made by graph optimization when nothing else reads the
     * activation.
     */
    public static final OpDef FUSED_CONV2D_MAX_POOL_ARGMAX = NnOps.convAttrs(OpDef.builder("FusedConv2DMaxPoolArgmax")
                    .inputs("input", "filter", "bias"))
            .attr("activation", AttrType.STRING, "NONE")
            .attr("maxPool", AttrType.INT, 2)
            .shape(FusedOps::fusedConvArgmaxShape)
            .notDifferentiable().internal()
            .summary("FusedConv2D + MaxPoolWithArgmax (p x p, stride p, VALID): maxima, their int32 flat indices "
                    + "into the activation, and a shape-only stand-in for the activation").build();

    private static TensorSpec[] fusedConvArgmaxShape(TensorSpec[] in, Attrs a) {
        String op = "FusedConv2DMaxPoolArgmax";
        int p = a.getInt("maxPool");
        if (p < 2) throw new OpException(op, "maxPool must be at least 2, got " + p);
        TensorSpec conv = fusedConvShape(in, a.with("maxPool", 1))[0];
        Shape s = conv.shape();
        Shape pooled = Shape.of(s.dim(0), pooled(s.dim(1), p), pooled(s.dim(2), p), s.dim(3));
        return new TensorSpec[] {TensorSpec.of(DType.FLOAT32, pooled), TensorSpec.of(DType.INT32, pooled), conv};
    }

    /**
     * Conv2DBackpropFilter of the gradient that MaxPoolBiasReluGrad(grad, argmax, pooled, like) scatters, for training
     * graphs (NHWC float32): outputs dFilter (shaped like {@code filter}, of which only the shape is read), dBias [oc]
     * and a shape-only stand-in for the scattered gradient [n, outH, outW, oc], which is never stored (each image's is
     * made in a buffer while the filter gradient reads it). Made by graph optimization when nothing else reads that
     * gradient (the first layer of a cnn: its input needs no gradient).
     */
    public static final OpDef FUSED_POOL_RELU_FILTER_GRAD = NnOps.convAttrs(
                    OpDef.builder("FusedPoolReluFilterGrad").inputs("input", "filter", "grad", "argmax", "pooled"))
            .shape(FusedOps::poolReluFilterGradShape)
            .notDifferentiable().internal()
            .summary("Conv2DBackpropFilter(input, filter, MaxPoolBiasReluGrad(grad, argmax, pooled)) without storing "
                    + "the scattered gradient: dFilter, dBias and a shape-only stand-in for that gradient").build();

    private static TensorSpec[] poolReluFilterGradShape(TensorSpec[] in, Attrs a) {
        String op = "FusedPoolReluFilterGrad";
        if (!NnOps.dataFormat(op, a).equals("NHWC") || in[0].dtype() != DType.FLOAT32
                || in[2].dtype() != DType.FLOAT32 || in[4].dtype() != DType.FLOAT32 || in[3].dtype() != DType.INT32) {
            throw new OpException(op, "needs NHWC float32 input, grad and pooled and int32 argmax, got " + in[0] + ", "
                    + in[2] + ", " + in[4] + ", " + in[3]);
        }
        TensorSpec conv = NnOps.conv2dShape(new TensorSpec[] {in[0], in[1]}, a)[0];
        return new TensorSpec[] {TensorSpec.of(DType.FLOAT32, in[1].shape()),
                TensorSpec.of(DType.FLOAT32, Shape.of(in[1].shape().dim(3))), conv};
    }

    /**
     * MatMul + bias + optional ReLU in one op (2-D float32): {@code activation(op(a) op(b) + bias)}, the bias along
     * the columns, {@code activation} "NONE" or "RELU". Made by graph optimization from a MatMul followed by BiasAdd
     * (+ Relu) or BiasRelu (a dense layer), so the GEMM applies the bias and the activation to each C tile while it is
     * in cache instead of in extra passes over C (ONNX Runtime's fused Gemm).
     */
    public static final OpDef FUSED_MAT_MUL = OpDef.builder("FusedMatMul").inputs("a", "b", "bias")
            .attr("transposeA", AttrType.BOOL, false)
            .attr("transposeB", AttrType.BOOL, false)
            .attr("activation", AttrType.STRING, "NONE")
            .shape(FusedOps::fusedMatMulShape)
            .notDifferentiable().internal()
            .summary("activation(matmul(a, b) + bias), 2-D float32, bias along the columns; activation NONE or RELU")
            .build();

    private static TensorSpec[] fusedMatMulShape(TensorSpec[] in, Attrs a) {
        String op = "FusedMatMul";
        for (int i = 0; i < 2; i++) {
            if (in[i].dtype() != DType.FLOAT32 || in[i].shape().rank() != 2) {
                throw new OpException(op, "input '" + (i == 0 ? "a" : "b") + "' must be a float32 matrix, got "
                        + in[i]);
            }
        }
        String act = a.getString("activation");
        if (!act.equals("NONE") && !act.equals("RELU")) {
            throw new OpException(op, "activation must be NONE or RELU, got " + act);
        }
        Shape out = LinalgOps.matmulShape(in[0], in[1], a.getBool("transposeA"), a.getBool("transposeB"));
        int n = out.dim(1);
        if (in[2].dtype() != DType.FLOAT32 || in[2].shape().rank() != 1
                || n != Shape.UNKNOWN && in[2].shape().dim(0) != Shape.UNKNOWN && in[2].shape().dim(0) != n) {
            throw new OpException(op, "bias must be float32 [" + n + "], got " + in[2]);
        }
        return Infer.one(DType.FLOAT32, out);
    }

    /**
     * Two dense layers in one op (2-D float32): {@code activation2(activation1(op(a) op(b1) + bias1) op(b2) + bias2)},
     * each activation "NONE" or "RELU". Made by graph optimization from a FusedMatMul whose output only a second
     * FusedMatMul reads (an inference graph's hidden layer and classifier), so one parallel loop takes each block of
     * rows through both products and the hidden activations stay in cache; the result has the two ops' bits.
     */
    public static final OpDef FUSED_MAT_MUL_PAIR = OpDef.builder("FusedMatMulPair")
            .inputs("a", "b1", "bias1", "b2", "bias2")
            .attr("transposeA", AttrType.BOOL, false)
            .attr("transposeB1", AttrType.BOOL, false)
            .attr("activation1", AttrType.STRING, "NONE")
            .attr("transposeB2", AttrType.BOOL, false)
            .attr("activation2", AttrType.STRING, "NONE")
            .shape(FusedOps::fusedMatMulPairShape)
            .notDifferentiable().internal()
            .summary("activation2(activation1(matmul(a, b1) + bias1) b2 + bias2), 2-D float32: two dense layers")
            .build();

    private static TensorSpec[] fusedMatMulPairShape(TensorSpec[] in, Attrs a) {
        TensorSpec hidden = fusedMatMulShape(new TensorSpec[] {in[0], in[1], in[2]}, Attrs.of("transposeA",
                a.getBool("transposeA"), "transposeB", a.getBool("transposeB1"), "activation",
                a.getString("activation1")))[0];
        return fusedMatMulShape(new TensorSpec[] {hidden, in[3], in[4]}, Attrs.of("transposeA", false, "transposeB",
                a.getBool("transposeB2"), "activation", a.getString("activation2")));
    }

    /** The Conv2D attributes of a FusedConv2D's (activation dropped). */
    public static Attrs convAttrs(Attrs fused) {
        return Attrs.of("strides", fused.getInts("strides"), "padding", fused.getString("padding"),
                "explicitPaddings", fused.getInts("explicitPaddings"), "dilations", fused.getInts("dilations"),
                "groups", fused.getInt("groups"), "dataFormat", fused.getString("dataFormat"));
    }

    private static TensorSpec[] fusedConvShape(TensorSpec[] in, Attrs a) {
        String op = "FusedConv2D";
        if (!NnOps.dataFormat(op, a).equals("NHWC") || in[0].dtype() != DType.FLOAT32) {
            throw new OpException(op, "needs NHWC float32 input, got " + in[0] + " " + NnOps.dataFormat(op, a));
        }
        String act = a.getString("activation");
        if (!act.equals("NONE") && !act.equals("RELU")) {
            throw new OpException(op, "activation must be NONE or RELU, got " + act);
        }
        TensorSpec[] out = NnOps.conv2dShape(new TensorSpec[] {in[0], in[1]}, convAttrs(a));
        int oc = in[1].shape().dim(3);
        if (in[2].dtype() != DType.FLOAT32 || in[2].shape().rank() != 1
                || oc != Shape.UNKNOWN && in[2].shape().dim(0) != Shape.UNKNOWN && in[2].shape().dim(0) != oc) {
            throw new OpException(op, "bias must be float32 [" + oc + "], got " + in[2]);
        }
        int p = a.getInt("maxPool");
        if (p < 1) throw new OpException(op, "maxPool must be at least 1, got " + p);
        if (p == 1) return out;
        Shape s = out[0].shape();
        return new TensorSpec[] {TensorSpec.of(out[0].dtype(), Shape.of(s.dim(0), pooled(s.dim(1), p),
                pooled(s.dim(2), p), s.dim(3)))};
    }

    private static int pooled(int d, int p) { return d == Shape.UNKNOWN ? d : d / p; }

    /** Checks the program (stack discipline, indices) and broadcasts the inputs' shapes. */
    private static TensorSpec[] fusedShape(TensorSpec[] in, Attrs a) {
        String op = "FusedElementwise";
        for (int i = 0; i < in.length; i++) {
            if (in[i].dtype() != DType.FLOAT32) {
                throw new OpException(op, "input " + i + " must be float32, got " + in[i]);
            }
        }
        maxStackDepth(a.getInts("program"), in.length, a.getDoubles("params").length);
        Shape s = in[0].shape();
        for (int i = 1; i < in.length; i++) s = Infer.broadcast(op, s, in[i].shape());
        return Infer.one(DType.FLOAT32, s);
    }

    /**
     * Validates a program over {@code numInputs} inputs and {@code numParams} params and returns the deepest stack it
     * needs; fails with an {@link OpException} naming the bad instruction.
     */
    public static int maxStackDepth(int[] program, int numInputs, int numParams) {
        String op = "FusedElementwise";
        if (program.length == 0 || program.length % 2 != 0) {
            throw new OpException(op, "program must be a non-empty list of (opcode, argument) pairs, got "
                    + program.length + " ints");
        }
        int depth = 0, max = 0;
        for (int pc = 0; pc < program.length; pc += 2) {
            Fn f = Fn.ofCode(program[pc]);
            int arg = program[pc + 1];
            String at = "instruction " + pc / 2;
            if (f == null) throw new OpException(op, at + ": unknown opcode " + program[pc]);
            if (f == Fn.LOAD && (arg < 0 || arg >= numInputs)) {
                throw new OpException(op, at + ": LOAD " + arg + " but there are " + numInputs + " inputs");
            }
            if (f == Fn.LEAKY_RELU && (arg < 0 || arg >= numParams)) {
                throw new OpException(op, at + ": LEAKY_RELU reads params[" + arg + "] but there are " + numParams
                        + " params");
            }
            if (depth < f.arity) {
                throw new OpException(op, at + ": " + f + " needs " + f.arity + " values on the stack, has " + depth);
            }
            depth += 1 - f.arity;
            max = Math.max(max, depth);
            if (max > MAX_STACK) throw new OpException(op, "program needs a stack deeper than " + MAX_STACK);
        }
        if (depth != 1) throw new OpException(op, "program must leave exactly one value, leaves " + depth);
        return max;
    }
}
