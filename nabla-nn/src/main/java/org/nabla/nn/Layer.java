package org.nabla.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;

/**
 * A layer: a function of tensors with weights ({@link Variable}s, trainable or not), built lazily from the shape of
 * its first input. Shapes given to {@link #build} and returned by {@link #outputShape} include the batch dimension,
 * usually unknown (-1).
 *
 * <p>Subclasses implement {@link #build(Shape[])} (create weights with {@link #addWeight}), {@link #forward} and
 * {@link #outputShape}. Most layers take one input; merge layers take several.
 */
public abstract class Layer {
    private static final AtomicLong SEEDS = new AtomicLong(0x5EED);

    private String name;
    private long seed = SEEDS.getAndIncrement() * 0x9E3779B97F4A7C15L;
    private final List<Variable> weights = new ArrayList<>();
    private final List<Initializer> initializers = new ArrayList<>();
    private Shape[] inputShapes;
    private Shape outputShape;
    private boolean built;
    private DTypePolicy policy = DTypePolicy.global();
    private DType dtype = policy.variableDType();

    /** For subclasses: an unbuilt float32 layer, named after its class when it joins a model. */
    protected Layer() {}

    /** Sets the layer's name (shown by summary; weights made after this carry it in their names). */
    public Layer name(String name) {
        this.name = name;
        return this;
    }

    /** The name; a default is given when the layer joins a model (snake case of the class, made unique). */
    public String name() { return name == null ? defaultBaseName() : name; }

    boolean hasName() { return name != null; }

    /** "dense" for Dense, "max_pooling2d" for MaxPooling2D. */
    public String defaultBaseName() {
        String s = getClass().getSimpleName();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(s.charAt(i - 1))) b.append('_');
            b.append(Character.toLowerCase(c));
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }

    /** Seeds the weight initializers (models set it from their own seed before building). */
    public Layer seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** The seed of the weight initializers. */
    public long seed() { return seed; }

    /**
     * The dtype of the weights and the computation (float32 by default; float64 for precise checks): the policy
     * {@code float32} or {@code float64}. Set before building; for mixed precision use {@link #dtypePolicy}.
     */
    public Layer dtype(DType d) {
        if (d != DType.FLOAT32 && d != DType.FLOAT64) {
            throw new IllegalArgumentException(describe() + ": dtype must be float32 or float64, got " + d
                    + (d.isHalfPrecision() ? " (for 16-bit computation use dtypePolicy(DTypePolicy.MIXED_"
                    + d.name() + "))" : ""));
        }
        return dtypePolicy(d == DType.FLOAT64 ? DTypePolicy.FLOAT64 : DTypePolicy.FLOAT32);
    }

    /**
     * Sets the layer's dtype policy (Keras' {@code dtype=} argument): the weights' dtype and the computation's. Layers
     * take the global policy ({@link DTypePolicy#global()}) when they are made; set this before building.
     */
    public Layer dtypePolicy(DTypePolicy p) {
        if (built) throw new IllegalStateException(describe() + " is built; set its dtype policy before");
        policy = java.util.Objects.requireNonNull(p, "policy");
        dtype = p.variableDType();
        return this;
    }

    /** The layer's dtype policy. */
    public DTypePolicy dtypePolicy() { return policy; }

    /** The dtype the layer computes in and returns (its policy's compute dtype: its weights' dtype unless mixed). */
    public DType computeDType() { return policy.computeDType(); }

    /**
     * Variable {@code v}'s value in the compute dtype: under a mixed policy float32 weights are read as 16-bit (the
     * cast is recorded, so their gradients come back in float32), otherwise the value itself.
     */
    protected final Tensor read(Variable v) {
        Tensor value = v.read();
        DType inner = innerDType();
        return value.dtype() != inner && value.dtype().isFloating() ? org.nabla.Ops.cast(value, inner) : value;
    }

    /**
     * True for layers that compute in their weights' dtype (float32) even under a mixed policy, and only cast their
     * outputs to the compute dtype: normalization layers, whose statistics lose too much in 16 bits (Keras does the
     * same). False by default.
     */
    protected boolean computesInVariableDType() { return false; }

    private DType innerDType() {
        return computesInVariableDType() ? policy.variableDType() : policy.computeDType();
    }

    /** The dtype of the weights (float32 unless set). */
    public DType dtype() { return dtype; }

    /** Whether the weights exist (after {@code build} or the first call). */
    public boolean isBuilt() { return built; }

    /** Builds the layer for inputs of these shapes (batch dim included) unless already built. */
    public final void build(Shape... shapes) {
        if (built) return;
        checkInputs(shapes);
        createWeights(shapes);
        this.inputShapes = shapes.clone();
        this.outputShape = outputShape(shapes);
        built = true;
    }

    /** Checks the input count and ranks; throws an IllegalArgumentException naming the layer. */
    protected void checkInputs(Shape[] shapes) {
        if (shapes.length != 1) {
            throw new IllegalArgumentException(describe() + " takes one input, got " + shapes.length);
        }
    }

    /** Creates the weights for these input shapes (default: none). */
    protected void createWeights(Shape[] inputShapes) {}

    /** The output shape for these input shapes (batch dim included, often -1). */
    public abstract Shape outputShape(Shape[] inputShapes);

    /** The computation; {@code inputs} match the built shapes. */
    protected abstract Tensor forward(Tensor[] inputs, CallContext ctx);

    /**
     * The computation with the input's mask (null: none) and every output: layers with several outputs (a recurrent
     * layer with {@code returnState}) or that read the mask override this; the default is {@link #forward}.
     */
    protected Tensor[] forwardAll(Tensor[] inputs, Tensor mask, CallContext ctx) {
        return new Tensor[] {forward(inputs, ctx)};
    }

    /**
     * Whether the layer passes its input's mask on unchanged (Keras' {@code supports_masking} with the default
     * {@code compute_mask}): true for layers that keep the time axis step by step (Dense, Activation, Dropout,
     * normalization). False by default: the mask is dropped, as Keras drops it at layers that do not support masking.
     */
    protected boolean supportsMasking() { return false; }

    /**
     * The mask of output 0 given the inputs and the mask of input 0 (Keras' compute_mask): a bool tensor [batch,
     * time] saying which timesteps are real, or null. The default passes the mask on when {@link #supportsMasking()}
     * and drops it otherwise; layers that make one (an {@code Embedding} with {@code maskZero}) or change it override
     * this.
     */
    public Tensor outputMask(Tensor[] inputs, Tensor mask) { return supportsMasking() ? mask : null; }

    /**
     * The mask of output 0 given one mask per input (null entries: none). Merge layers override this to combine
     * their inputs' masks; the default is {@link #outputMask(Tensor[], Tensor)} with the mask of input 0 for layers
     * with one input or that {@link #readsInputMasks()} (attention: the query's), and no mask otherwise.
     */
    public Tensor outputMask(Tensor[] inputs, Tensor[] masks) {
        boolean first = masks.length == 1 || (masks.length > 1 && readsInputMasks());
        return outputMask(inputs, first ? masks[0] : null);
    }

    /** Calls the layer in inference mode (builds it on the first call). */
    public final Tensor call(Tensor... inputs) { return call(inputs, CallContext.INFERENCE); }

    /** Calls the layer (builds it on the first call from the inputs' shapes). */
    public final Tensor call(Tensor[] inputs, CallContext ctx) { return callAll(inputs, null, ctx)[0]; }

    /**
     * Whether the layer reads the mask of every input ({@link #forwardWithMasks}: attention's query and value masks);
     * a model then gives it one mask per input. Others get a mask only when they have one input. False by default.
     */
    public boolean readsInputMasks() { return false; }

    /**
     * The computation with one mask per input (null entries: none), for layers that {@link #readsInputMasks()}; the
     * default is {@link #forwardAll} with the mask of input 0.
     */
    protected Tensor[] forwardWithMasks(Tensor[] inputs, Tensor[] masks, CallContext ctx) {
        return forwardAll(inputs, masks[0], ctx);
    }

    /** Calls the layer with the mask of input 0 (null: none) and returns every output (builds it on the first call). */
    public final Tensor[] callAll(Tensor[] inputs, Tensor mask, CallContext ctx) {
        Tensor[] masks = new Tensor[inputs.length];
        if (masks.length > 0) masks[0] = mask;
        return callWithMasks(inputs, masks, ctx);
    }

    /**
     * Calls the layer with one mask per input ({@code masks} as long as {@code inputs}; null entries for none) and
     * returns every output (builds it on the first call).
     */
    public final Tensor[] callWithMasks(Tensor[] inputs, Tensor[] masks, CallContext ctx) {
        if (masks.length != inputs.length) {
            throw new IllegalArgumentException(describe() + ": " + masks.length + " masks for " + inputs.length
                    + " inputs");
        }
        Shape[] shapes = new Shape[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) throw new IllegalArgumentException(describe() + ": input " + i + " is null");
            shapes[i] = inputs[i].shape();
        }
        if (!built) {
            Shape[] batchFree = new Shape[shapes.length];
            for (int i = 0; i < shapes.length; i++) batchFree[i] = withUnknownBatch(shapes[i]);
            build(batchFree);
        } else {
            checkCompatible(shapes);
        }
        if (!policy.isMixed()) return forwardWithMasks(inputs, masks, ctx);
        Tensor[] outputs = forwardWithMasks(autocast(inputs, innerDType()), masks, ctx);
        return innerDType() == policy.computeDType() ? outputs : autocast(outputs, policy.computeDType());
    }

    /** Floating tensors cast to {@code to}, as Keras layers cast their inputs; integer ones (ids, masks) stay. */
    private static Tensor[] autocast(Tensor[] tensors, DType to) {
        Tensor[] cast = tensors.clone();
        for (int i = 0; i < cast.length; i++) {
            DType d = cast[i] == null ? null : cast[i].dtype();
            if (d != null && d.isFloating() && d != to) cast[i] = org.nabla.Ops.cast(cast[i], to);
        }
        return cast;
    }

    private void checkCompatible(Shape[] shapes) {
        if (shapes.length != inputShapes.length) {
            throw new IllegalArgumentException(describe() + " was built for " + inputShapes.length + " inputs, got "
                    + shapes.length);
        }
        for (int i = 0; i < shapes.length; i++) {
            if (!shapes[i].isCompatibleWith(inputShapes[i])) {
                throw new IllegalArgumentException(describe() + " was built for input shape "
                        + Arrays.toString(inputShapes) + ", got " + Arrays.toString(shapes));
            }
        }
    }

    /** Functional API: connects this layer to symbolic inputs ({@link Input}) and returns its symbolic output. */
    public final LayerOutput apply(LayerOutput... inputs) {
        Shape[] shapes = new Shape[inputs.length];
        for (int i = 0; i < inputs.length; i++) shapes[i] = inputs[i].shape();
        if (!built) build(shapes);
        else checkCompatible(shapes);
        return new LayerOutput(this, List.of(inputs), outputShape(shapes));
    }

    /**
     * Functional API for layers with several outputs ({@link #outputCount()}): the symbolic outputs of one
     * application, e.g. {@code [sequence, h, c]} of an LSTM with {@code returnState}.
     */
    public final LayerOutput[] applyAll(LayerOutput... inputs) {
        LayerOutput first = apply(inputs);
        Shape[] shapes = outputShapes(first.inputs().stream().map(LayerOutput::shape).toArray(Shape[]::new));
        LayerOutput[] all = new LayerOutput[shapes.length];
        all[0] = first;
        for (int i = 1; i < all.length; i++) all[i] = new LayerOutput(first, i, shapes[i]);
        return all;
    }

    /** How many outputs {@link #callAll} returns (1 unless overridden). */
    public int outputCount() { return 1; }

    /** The shapes of every output (the default: {@link #outputShape(Shape[])} alone). */
    public Shape[] outputShapes(Shape[] inputShapes) { return new Shape[] {outputShape(inputShapes)}; }

    /** The element dtype of the layer's input 0: its weights' dtype, integer ids for an embedding. */
    public DType inputDType() { return dtype; }

    /** Adds a weight initialized by {@code init} (seeded from the layer seed and the weight's index). */
    protected final Variable addWeight(String weightName, Shape shape, Initializer init, boolean trainable) {
        Variable v = Variable.of(name() + "/" + weightName, initialValue(init, shape, weights.size()), trainable);
        weights.add(v);
        initializers.add(init);
        return v;
    }

    private Tensor initialValue(Initializer init, Shape shape, int index) {
        Tensor value = init.initialize(shape, TrainingOps.mix(seed + 31L * index + 1));
        if (dtype == DType.FLOAT64) {
            float[] f = value.toFloatArray();
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) d[i] = f[i];
            value = Tensor.wrap(DType.FLOAT64, shape, d);
        }
        return value;
    }

    /** Re-draws every weight from its initializer with the current seed (as if built now). */
    public void reinitialize() {
        for (int i = 0; i < weights.size(); i++) {
            weights.get(i).assign(initialValue(initializers.get(i), weights.get(i).shape(), i));
        }
    }

    /** All weights, in creation order. */
    public List<Variable> weights() { return List.copyOf(weights); }

    /** The weights an optimizer updates, in creation order. */
    public List<Variable> trainableWeights() { return weights.stream().filter(Variable::trainable).toList(); }

    /** The weights training leaves to the layer (e.g. batch-norm moving statistics). */
    public List<Variable> nonTrainableWeights() { return weights.stream().filter(v -> !v.trainable()).toList(); }

    /** Number of scalar parameters in all weights. */
    public long paramCount() { return weights.stream().mapToLong(v -> v.shape().size()).sum(); }

    /** The built input shapes (null before building). */
    public Shape[] inputShapes() { return inputShapes == null ? null : inputShapes.clone(); }

    /** The built output shape (null before building). */
    public Shape outputShape() { return outputShape; }

    protected String describe() { return "layer '" + name() + "' (" + getClass().getSimpleName() + ")"; }

    static Shape withUnknownBatch(Shape s) {
        if (s.rank() == 0) return s;
        int[] d = s.dims();
        d[0] = Shape.UNKNOWN;
        return Shape.of(d);
    }

    /** Checks the rank of a single input. */
    protected final void requireRank(Shape s, int rank, String what) {
        if (s.rank() != rank) {
            throw new IllegalArgumentException(describe() + " expects " + what + " (rank " + rank
                    + "), got input shape " + s);
        }
    }

    /** Checks that the non-batch dims are known. */
    protected final void requireKnownFeatures(Shape s) {
        for (int i = 1; i < s.rank(); i++) {
            if (s.dim(i) < 0) {
                throw new IllegalArgumentException(describe() + " needs every dimension but the batch known, got "
                        + s);
            }
        }
    }

    @Override
    public String toString() { return getClass().getSimpleName() + " '" + name() + "'"; }
}
