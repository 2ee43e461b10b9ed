package org.nabla.nn.layers;

import java.util.Arrays;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.nn.CallContext;
import org.nabla.nn.Initializers;
import org.nabla.nn.Layer;

/**
 * Multi-head scaled dot-product attention (Keras' {@code MultiHeadAttention}, Vaswani et al. 2017). Inputs:
 * {@code query} [N, Tq, Dq], {@code value} [N, Tv, Dv] and optionally {@code key} [N, Tv, Dk] (the value when
 * absent). Each head projects them ({@code query/kernel} [Dq, H, K] and so on, Keras' weight shapes and order),
 * attends with {@code softmax(q k^T / sqrt(K))}, and the heads' results are projected back to Dq
 * ({@code attention_output/kernel} [H, V, Dq]); for float32 and float64 the attention is one fused op
 * ({@code Ops.scaledDotProductAttention}). {@link #causal(boolean)} masks out later positions (each query step sees
 * the keys up to its own), as Keras' {@code use_causal_mask}: masked scores get a value so low that their
 * probability is 0.
 *
 * <p>Padding masks, as Keras: the masks of the query, value and key inputs (from {@code Embedding.maskZero} or
 * {@code Masking}, passed along by the model; {@link #callWithMasks} by hand) and, with
 * {@link #attentionMaskInput(boolean)}, an explicit attention mask [N, Tq, Tv] as the last input (non-zero: may
 * attend) are combined with the causal mask by AND; a masked score is replaced by {@code -0.7 * max float} before
 * the softmax (Keras' dot-product attention on JAX), so a query step that may attend to nothing (a padded one)
 * averages all values evenly. The output carries the query's mask.
 */
public final class MultiHeadAttention extends Layer {
    private final int heads;
    private final int keyDim;
    private final int valueDim;
    private boolean causal;
    private boolean attentionMaskInput;
    private Variable qKernel;
    private Variable qBias;
    private Variable kKernel;
    private Variable kBias;
    private Variable vKernel;
    private Variable vBias;
    private Variable oKernel;
    private Variable oBias;

    /** {@code heads} heads with query/key size {@code keyDim}, value size {@code keyDim} too. */
    public MultiHeadAttention(int heads, int keyDim) { this(heads, keyDim, keyDim); }

    /** {@code heads} heads with query/key size {@code keyDim} and value size {@code valueDim} (each >= 1). */
    public MultiHeadAttention(int heads, int keyDim, int valueDim) {
        if (heads < 1 || keyDim < 1 || valueDim < 1) {
            throw new IllegalArgumentException("MultiHeadAttention: heads, keyDim and valueDim must be >= 1, got "
                    + heads + ", " + keyDim + ", " + valueDim);
        }
        this.heads = heads;
        this.keyDim = keyDim;
        this.valueDim = valueDim;
    }

    /** Masks out keys after each query position (self-attention in decoders); returns this layer. */
    public MultiHeadAttention causal(boolean on) {
        causal = on;
        return this;
    }

    /**
     * Takes an attention mask [N, Tq, Tv] as the last input (after query, value and the optional key; any dtype,
     * non-zero where query step i may attend to key step j), Keras' {@code attention_mask}; returns this layer.
     */
    public MultiHeadAttention attentionMaskInput(boolean on) {
        attentionMaskInput = on;
        return this;
    }

    @Override public boolean readsInputMasks() { return true; }

    /** The number of data inputs (query, value, optional key), without an attention mask. */
    private int dataInputs(int inputs) { return attentionMaskInput ? inputs - 1 : inputs; }

    @Override
    protected void checkInputs(Shape[] all) {
        int n = dataInputs(all.length);
        if (n < 2 || n > 3) {
            throw new IllegalArgumentException(describe() + " takes query and value (and optionally key"
                    + (attentionMaskInput ? ", then the attention mask" : "") + "), got " + all.length + " inputs");
        }
        Shape[] shapes = Arrays.copyOf(all, n);
        if (attentionMaskInput) {
            Shape m = all[n], q = shapes[0], v = shapes[1];
            if (m.rank() != 3 || m.dim(1) != q.dim(1) || m.dim(2) != v.dim(1)) {
                throw new IllegalArgumentException(describe() + ": the attention mask must be [batch, " + q.dim(1)
                        + ", " + v.dim(1) + "] (query by key steps), got " + m);
            }
        }
        for (Shape s : shapes) {
            if (s.rank() != 3 || s.dim(1) < 0 || s.dim(2) < 0) {
                throw new IllegalArgumentException(describe() + " needs [batch, time, features] inputs with known "
                        + "time and features, got " + Arrays.toString(shapes));
            }
        }
        Shape v = shapes[1], k = shapes.length == 3 ? shapes[2] : v;
        if (k.dim(1) != v.dim(1)) {
            throw new IllegalArgumentException(describe() + ": key and value need the same time length, got " + k
                    + " and " + v);
        }
        if (causal && shapes[0].dim(1) != v.dim(1)) {
            throw new IllegalArgumentException(describe() + ": a causal mask needs query and key of one length, got "
                    + shapes[0] + " and " + v);
        }
    }

    @Override
    protected void createWeights(Shape[] in) {
        int dq = in[0].dim(2), dv = in[1].dim(2), dk = dataInputs(in.length) == 3 ? in[2].dim(2) : dv;
        qKernel = addWeight("query/kernel", Shape.of(dq, heads, keyDim), Initializers.glorotUniform(), true);
        qBias = addWeight("query/bias", Shape.of(heads, keyDim), Initializers.zeros(), true);
        kKernel = addWeight("key/kernel", Shape.of(dk, heads, keyDim), Initializers.glorotUniform(), true);
        kBias = addWeight("key/bias", Shape.of(heads, keyDim), Initializers.zeros(), true);
        vKernel = addWeight("value/kernel", Shape.of(dv, heads, valueDim), Initializers.glorotUniform(), true);
        vBias = addWeight("value/bias", Shape.of(heads, valueDim), Initializers.zeros(), true);
        oKernel = addWeight("attention_output/kernel", Shape.of(heads, valueDim, dq), Initializers.glorotUniform(),
                true);
        oBias = addWeight("attention_output/bias", Shape.of(dq), Initializers.zeros(), true);
    }

    @Override
    public Shape outputShape(Shape[] in) { return in[0]; }

    /** x [N, T, D] through kernel [D, H, S] + bias [H, S], as [N, H, T, S]. */
    private Tensor project(Tensor x, Variable kernel, Variable bias, int size) {
        int t = x.shape().dim(1), d = x.shape().dim(2);
        Tensor flat = Ops.matmul(Ops.reshape(x, -1, d), Ops.reshape(read(kernel), d, heads * size));
        Tensor y = plusBias(flat, Ops.reshape(read(bias), heads * size));
        return Ops.transpose(Ops.reshape(y, -1, t, heads, size), 0, 2, 1, 3);
    }

    /**
     * y [rows, n] + bias [n]: BiasAdd for float32 and float64 (one pass over y, and its gradient a column sum instead
     * of a broadcasting Add's reduction), Add for the dtypes BiasAdd has no kernel for.
     */
    private static Tensor plusBias(Tensor y, Tensor bias) {
        return y.dtype() == DType.FLOAT32 || y.dtype() == DType.FLOAT64 ? Ops.biasAdd(y, bias) : Ops.add(y, bias);
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        return forwardWithMasks(inputs, new Tensor[inputs.length], ctx)[0];
    }

    /** The query's mask (Keras sets it on the output). */
    @Override
    public Tensor outputMask(Tensor[] inputs, Tensor mask) { return mask; }

    @Override
    protected Tensor[] forwardWithMasks(Tensor[] inputs, Tensor[] masks, CallContext ctx) {
        int n = dataInputs(inputs.length);
        Tensor query = inputs[0], value = inputs[1], key = n == 3 ? inputs[2] : value;
        Tensor allowed = allowed(masks[0], masks[1], n == 3 ? masks[2] : null,
                attentionMaskInput ? inputs[n] : null, query.shape().dim(1), key.shape().dim(1));
        int tq = query.shape().dim(1), tk = key.shape().dim(1), dq = query.shape().dim(2);
        DType dtype = query.dtype();
        Tensor q = project(query, qKernel, qBias, keyDim);
        Tensor k = project(key, kKernel, kBias, keyDim);
        Tensor v = project(value, vKernel, vBias, valueDim);
        Tensor attention = dtype == DType.FLOAT32 || dtype == DType.FLOAT64   // [N, H, Tq, V]
                ? Ops.scaledDotProductAttention(q, k, v, allowed == null ? null : Ops.expandDims(allowed, 1),
                        1 / Math.sqrt(keyDim), causal)
                : unfusedAttention(q, k, v, allowed, tq, tk);
        Tensor merged = Ops.reshape(Ops.transpose(attention, 0, 2, 1, 3), -1, heads * valueDim);
        Tensor out = plusBias(Ops.matmul(merged, Ops.reshape(read(oKernel), heads * valueDim, dq)), read(oBias));
        return new Tensor[] {Ops.reshape(out, -1, tq, dq)};
    }

    /**
     * The same attention from MatMul, Select/Add, Softmax and MatMul, for the dtypes the fused op does not take
     * (float16 and bfloat16 under a mixed-precision policy).
     */
    private Tensor unfusedAttention(Tensor q, Tensor k, Tensor v, Tensor allowed, int tq, int tk) {
        DType dtype = q.dtype();
        q = Ops.mul(q, Ops.cast(Tensors.scalar(1 / Math.sqrt(keyDim)), dtype));
        Tensor scores = Ops.matmul(q, k, false, true);   // [N, H, Tq, Tk]
        if (allowed != null) {
            Tensor lowest = Ops.cast(Tensors.scalar(-0.7 * Float.MAX_VALUE), dtype);
            scores = Ops.where(Ops.expandDims(allowed, 1), scores, lowest);
        } else if (causal) {
            scores = Ops.add(scores, Ops.cast(causalAdder(tq, tk), dtype));
        }
        return Ops.matmul(Ops.softmax(scores, -1), v);
    }

    /**
     * Where query step i may attend to key step j, bool, broadcastable to [N, Tq, Tk], from the masks given (Keras'
     * {@code _compute_attention_mask}); null when there is no mask but the causal one (then the -1e9 adder).
     */
    private Tensor allowed(Tensor queryMask, Tensor valueMask, Tensor keyMask, Tensor attentionMask, int tq, int tk) {
        if (queryMask == null && valueMask == null && keyMask == null && attentionMask == null) return null;
        Tensor m = null;
        if (queryMask != null) m = Ops.expandDims(bool(queryMask), -1);                       // [N, Tq, 1]
        if (valueMask != null) m = and(m, Ops.expandDims(bool(valueMask), -2));               // [N, 1, Tk]
        if (keyMask != null) m = and(m, Ops.expandDims(bool(keyMask), -2));
        if (causal) m = and(m, Ops.expandDims(Ops.equal(causalAdder(tq, tk), 0f), 0));       // [1, Tq, Tk]
        if (attentionMask != null) m = and(m, bool(attentionMask));
        return m;   // broadcasts against the scores
    }

    private static Tensor bool(Tensor mask) { return mask.dtype() == DType.BOOL ? mask : Ops.notEqual(mask, 0); }

    private static Tensor and(Tensor a, Tensor b) { return a == null ? b : Ops.logicalAnd(a, b); }

    /** 0 where key j may be seen from query i (j <= i), -1e9 elsewhere: [Tq, Tk], broadcast over batch and heads. */
    private static Tensor causalAdder(int tq, int tk) {
        float[] a = new float[tq * tk];
        for (int i = 0; i < tq; i++) for (int j = i + 1; j < tk; j++) a[i * tk + j] = -1e9f;
        return Tensor.wrap(DType.FLOAT32, Shape.of(tq, tk), a);
    }
}
