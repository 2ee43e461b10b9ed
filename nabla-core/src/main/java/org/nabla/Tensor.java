package org.nabla;

import java.util.Arrays;
import java.util.Objects;
import org.nabla.device.CpuDevice;
import org.nabla.device.Device;
import org.nabla.ops.TensorSpec;
import org.nabla.storage.Strided;

/**
 * An immutable n-dimensional array on a device, or (in graph mode) a symbolic handle to a node's output.
 *
 * <p>A concrete CPU tensor is backed by a Java primitive array ({@link DType#storage()}) read through an offset and
 * strides, so reshape/transpose/slice/broadcast can be views that share the array. Nobody writes to a backing array
 * once a tensor wraps it. Fluent methods ({@code a.add(b).matmul(c)}) call the same ops as {@link Ops}.
 */
public final class Tensor {
    private final TensorSpec spec;
    private final Device device;
    private final Object data;
    private final int offset;
    private final int[] strides; // null when dense row-major from offset
    private final Object symbol; // non-null for graph tensors
    private boolean released; // set when the TensorScope owning the buffer closed (same thread)

    private Tensor(TensorSpec spec, Device device, Object data, int offset, int[] strides, Object symbol) {
        this.spec = spec;
        this.device = device;
        this.data = data;
        this.offset = offset;
        this.strides = strides;
        this.symbol = symbol;
    }

    // ---------------------------------------------------------------- construction (for kernels and devices)

    /**
     * Wraps a dense row-major CPU array the caller hands over and never touches again. Kernels use this to return
     * results without a copy; the array type must match the dtype and its length the shape's size.
     */
    public static Tensor wrap(DType dtype, Shape shape, Object array) {
        checkStorage(dtype, shape, array, 0);
        return new Tensor(new TensorSpec(dtype, shape), CpuDevice.INSTANCE, array, 0, null, null);
    }

    /** Wraps device memory (or a CPU array) on any device; the device module owns {@code data}. */
    public static Tensor onDevice(DType dtype, Shape shape, Device device, Object data) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(data, "data");
        return new Tensor(new TensorSpec(dtype, shape), device, data, 0, null, null);
    }

    /** A view sharing {@code base}'s storage with a new shape, offset and strides (strides in elements). */
    public static Tensor view(Tensor base, Shape shape, int offset, int[] strides) {
        base.requireConcrete("view");
        if (strides.length != shape.rank()) {
            throw new IllegalArgumentException("view: " + strides.length + " strides for shape " + shape);
        }
        int[] s = Arrays.equals(strides, shape.contiguousStrides()) ? null : strides.clone();
        Tensor view = new Tensor(new TensorSpec(base.dtype(), shape), base.device, base.data(), offset, s, null);
        if (TensorScope.anyOpen()) TensorScope.registerView(base, view);
        return view;
    }

    /** A graph tensor: a dtype, a (partly known) shape and the graph's handle for the producing output. */
    public static Tensor symbolic(DType dtype, Shape shape, Device device, Object symbol) {
        return new Tensor(new TensorSpec(dtype, shape), device, null, 0, null, Objects.requireNonNull(symbol));
    }

    private static void checkStorage(DType dtype, Shape shape, Object array, int offset) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        if (!shape.isFullyDefined()) throw new IllegalArgumentException("a concrete tensor needs a known shape, got "
                + shape);
        int length = switch (dtype.storage()) {
            case FLOAT -> array instanceof float[] a ? a.length : -1;
            case DOUBLE -> array instanceof double[] a ? a.length : -1;
            case INT -> array instanceof int[] a ? a.length : -1;
            case LONG -> array instanceof long[] a ? a.length : -1;
            case BYTE -> array instanceof byte[] a ? a.length : -1;
            case SHORT -> array instanceof short[] a ? a.length : -1;
            case STRING -> array instanceof byte[][] a ? a.length : -1;
            case COMPLEX64 -> array instanceof float[] a ? a.length / 2 : -1;   // re, im pairs
            case COMPLEX128 -> array instanceof double[] a ? a.length / 2 : -1;
        };
        if (length < 0) {
            throw new IllegalArgumentException("a " + dtype + " tensor is backed by a " + dtype.storage()
                    .name().toLowerCase().replace("string", "byte[]").replace("complex64", "float")
                    .replace("complex128", "double") + "[] array, got " + (array == null ? "null" : array.getClass()
                    .getSimpleName()));
        }
        if (length - offset < shape.size()) {
            throw new IllegalArgumentException("shape " + shape + " needs " + shape.size() + " elements but the array"
                    + " holds " + (length - offset));
        }
    }

    // ---------------------------------------------------------------- metadata

    /** The element type. */
    public DType dtype() { return spec.dtype(); }

    /** The shape; a graph tensor's may have unknown dimensions (-1). */
    public Shape shape() { return spec.shape(); }

    /** The dtype and shape together. */
    public TensorSpec spec() { return spec; }

    /** The number of axes (0 for a scalar). */
    public int rank() { return spec.shape().rank(); }

    /** Number of elements (-1 for a symbolic tensor with unknown dimensions). */
    public long size() { return spec.shape().size(); }

    /** The device that holds the value (the CPU unless moved with {@link #to}). */
    public Device device() { return device; }

    /** True for graph tensors, which have no value until a Session runs them. */
    public boolean isSymbolic() { return symbol != null; }

    /** The graph's handle for a symbolic tensor (null for concrete tensors). */
    public Object symbol() { return symbol; }

    /** The backing storage (a Java array for CPU tensors). Read-only by contract: never write to it. */
    public Object data() {
        requireConcrete("data");
        if (released) {
            throw new IllegalStateException("this " + spec + " tensor was released when the TensorScope that created "
                    + "it closed; keep it with scope.keep(tensor) to use it after the scope (a GradientTape reads the "
                    + "tensors it recorded: open the scope outside the tape)");
        }
        return data;
    }

    /** The backing storage without checks, for {@link TensorScope}'s bookkeeping. */
    Object storage() { return data; }

    /** Called by {@link TensorScope#close} when this tensor's buffer goes back to the pool. */
    void release() { released = true; }

    /** True when the scope that owned this tensor closed and it can no longer be read. */
    public boolean isReleased() { return released; }

    /** Offset in elements of element [0, 0, ...] in {@link #data()}. */
    public int offset() { return offset; }

    /** Strides in elements (a copy). */
    public int[] strides() { return strides == null ? shape().contiguousStrides() : strides.clone(); }

    /** True when elements are laid out row-major and contiguous from {@link #offset()}. */
    public boolean isDense() { return strides == null; }

    /** True when dense and starting at offset 0, so {@link #data()} can be indexed directly. */
    public boolean isDenseFromZero() { return strides == null && offset == 0; }

    /**
     * This tensor on {@code target}: itself when it is there already or both devices share host memory (all CPU
     * devices), otherwise a copy made by the devices (through the host when neither is the CPU). The {@code .to()} of
     * PyTorch.
     */
    public Tensor to(Device target) {
        requireConcrete("to");
        Objects.requireNonNull(target, "target device");
        if (target == device || device.sharesHostMemory() && target.sharesHostMemory()) return this;
        Tensor host = onHost();
        return target.sharesHostMemory() ? host : target.copyFromHost(host.dense());
    }

    /** This tensor in host memory: itself on a CPU device, else a copy from its device. */
    Tensor onHost() {
        if (device.sharesHostMemory()) return this;
        Tensor host = device.copyToHost(this);
        if (!host.device.sharesHostMemory()) {
            throw new IllegalStateException(device.name() + ".copyToHost returned a tensor on " + host.device.name());
        }
        return host;
    }

    /** This tensor if dense from offset 0, otherwise a dense copy (the {@code .contiguous()} of PyTorch). */
    public Tensor dense() {
        requireConcrete("dense");
        if (isDenseFromZero()) return this;
        int n = shape().intSize();
        return new Tensor(spec, device, Strided.denseCopy(data(), offset, shape().dims(), strides, dtype().storage(), n),
                0, null, null);
    }

    void requireConcrete(String what) {
        if (symbol != null) {
            throw new IllegalStateException(what + "(): tensor " + spec + " is symbolic (a graph tensor, e.g. inside a "
                    + "TracedFunction or a graph being built); it has no value until the graph runs: fetch it from "
                    + "a Session run or return it from the function, and decide on tensor values with Ops.cond / "
                    + "Ops.whileLoop instead of Java if/while");
        }
    }

    // ---------------------------------------------------------------- values back to Java

    /** All elements, row-major, as float (any numeric dtype is converted). */
    public float[] toFloatArray() { return (float[]) javaArray(DType.Storage.FLOAT, "toFloatArray"); }

    /** All elements, row-major, as double. */
    public double[] toDoubleArray() { return (double[]) javaArray(DType.Storage.DOUBLE, "toDoubleArray"); }

    /** All elements, row-major, as int (floating values truncated toward zero). */
    public int[] toIntArray() { return (int[]) javaArray(DType.Storage.INT, "toIntArray"); }

    /** All elements as long: integers exactly (uint64 values above Long.MAX_VALUE as their two's-complement bits). */
    public long[] toLongArray() { return (long[]) javaArray(DType.Storage.LONG, "toLongArray"); }

    /** Elements as bytes (uint8/int8 bits, 0/1 for bool; other dtypes wrap to their low 8 bits). */
    public byte[] toByteArray() { return (byte[]) javaArray(DType.Storage.BYTE, "toByteArray"); }

    /** Elements as shorts (int16/uint16 bits; other dtypes wrap to their low 16 bits). */
    public short[] toShortArray() { return (short[]) javaArray(DType.Storage.SHORT, "toShortArray"); }

    private Object javaArray(DType.Storage want, String method) {
        requireConcrete(method);   // named for the caller's method, not the internals below
        if (dtype() == DType.STRING) {
            throw new IllegalStateException(method + ": a string tensor has no numeric values; parse them with "
                    + "Strings.toNumber, or read them with toStringArray");
        }
        if (dtype().isComplex()) {
            throw new IllegalStateException(method + ": a " + dtype() + " tensor has complex values; read them with "
                    + "toComplexArray, or take Ops.real / Ops.imag / Ops.abs first");
        }
        Tensor d = onHost().dense();
        return Strided.convert(d.data(), d.shape().intSize(), dtype(), want);
    }

    /**
     * All elements of a complex tensor, row-major, as (re, im) pairs widened to double: {@code 2 * size()} values,
     * element {@code i} at {@code [2i]} and {@code [2i + 1]}. Throws for other dtypes and for a graph tensor.
     */
    public double[] toComplexArray() {
        requireConcrete("toComplexArray");
        if (!dtype().isComplex()) {
            throw new IllegalStateException("toComplexArray: tensor has dtype " + dtype() + ", not complex64 or "
                    + "complex128");
        }
        Tensor d = onHost().dense();
        return org.nabla.storage.ComplexParts.toDoubles(d.data(), d.shape().intSize());
    }

    /**
     * All elements of a string tensor, row-major, decoded as UTF-8 (bytes that are not UTF-8 become U+FFFD, as
     * Python's {@code decode(errors='replace')}); throws for other dtypes and for a graph tensor.
     */
    public String[] toStringArray() {
        byte[][] b = stringStorage("toStringArray");
        String[] s = new String[b.length];
        for (int i = 0; i < b.length; i++) s[i] = new String(b[i], java.nio.charset.StandardCharsets.UTF_8);
        return s;
    }

    /** All elements of a string tensor, row-major, as fresh copies of their bytes (TensorFlow's strings are bytes). */
    public byte[][] toBytesArray() {
        byte[][] b = stringStorage("toBytesArray");
        for (int i = 0; i < b.length; i++) b[i] = b[i].clone();
        return b;
    }

    /** The single element of a one-element string tensor, decoded as UTF-8. */
    public String stringValue() {
        requireConcrete("stringValue");
        return toStringArray()[singleIndex("stringValue")];
    }

    /** A dense copy of the element array of a string tensor (the byte arrays themselves shared, never written). */
    private byte[][] stringStorage(String method) {
        requireConcrete(method);
        if (dtype() != DType.STRING) {
            throw new IllegalStateException(method + ": tensor has dtype " + dtype() + ", not string; format numbers "
                    + "with Strings.asString");
        }
        Tensor d = onHost().dense();   // dense from 0, but its array may hold more than this tensor (a slice's view)
        return Arrays.copyOf((byte[][]) d.data(), d.shape().intSize());
    }

    /** All elements, row-major, as booleans (non-zero is true); throws for a graph tensor. */
    public boolean[] toBooleanArray() {
        requireConcrete("toBooleanArray");
        double[] d = toDoubleArray();
        boolean[] b = new boolean[d.length];
        for (int i = 0; i < d.length; i++) b[i] = d[i] != 0;
        return b;
    }

    /**
     * The value as a nested Java array matching the shape and dtype ({@code float[][]} for a float32 matrix,
     * {@code boolean[]} for a bool vector), or a boxed scalar for rank 0: the {@code .numpy()} of Java.
     */
    public Object toArray() { return JavaArrays.toNested(this); }

    /** The single element of a scalar or one-element tensor. */
    public float floatValue() {
        requireConcrete("floatValue");
        return toFloatArray()[singleIndex("floatValue")];
    }

    /**
     * The single element of a scalar or one-element tensor, as a double; throws for more elements or a graph tensor.
     */
    public double doubleValue() {
        requireConcrete("doubleValue");
        return toDoubleArray()[singleIndex("doubleValue")];
    }

    /** The single element as an int (floating values truncated toward zero); throws for more elements. */
    public int intValue() {
        requireConcrete("intValue");
        return toIntArray()[singleIndex("intValue")];
    }

    /** The single element as a long; throws for more elements or a graph tensor. */
    public long longValue() {
        requireConcrete("longValue");
        return toLongArray()[singleIndex("longValue")];
    }

    /** The single element as a boolean (non-zero is true); throws for more elements or a graph tensor. */
    public boolean booleanValue() {
        requireConcrete("booleanValue");
        return toBooleanArray()[singleIndex("booleanValue")];
    }

    private int singleIndex(String what) {
        if (size() != 1) {
            throw new IllegalStateException(what + ": tensor has shape " + shape() + " (" + size()
                    + " elements); only a one-element tensor converts to a Java scalar");
        }
        return 0;
    }

    /** One element as double, by index (negative indices count from the end). */
    public double getDouble(int... index) {
        requireConcrete("getDouble");
        if (dtype().isComplex()) {
            throw new IllegalStateException("getDouble: a " + dtype() + " tensor has complex values; read them with "
                    + "toComplexArray, or take Ops.real / Ops.imag first");
        }
        if (!device.sharesHostMemory()) return onHost().getDouble(index);
        Shape shape = shape();
        if (index.length != shape.rank()) {
            throw new IllegalArgumentException("getDouble: " + index.length + " indices for a tensor of rank "
                    + shape.rank() + " and shape " + shape);
        }
        int[] st = strides();
        int pos = offset;
        for (int i = 0; i < index.length; i++) {
            int d = shape.dim(i);
            int k = index[i] < 0 ? index[i] + d : index[i];
            if (k < 0 || k >= d) {
                throw new IndexOutOfBoundsException("getDouble: index " + index[i] + " out of range for axis " + i
                        + " of size " + d + " (shape " + shape + ")");
            }
            pos += k * st[i];
        }
        return Strided.read(data(), pos, dtype());
    }

    // ---------------------------------------------------------------- printing

    /** TensorFlow style: {@code tf.Tensor([1. 2.], shape=(2,), dtype=float32)}, abbreviated when large. */
    @Override
    public String toString() {
        if (symbol != null) return "Tensor(\"" + symbol + "\", shape=" + shape() + ", dtype=" + dtype() + ")";
        if (released) return "tf.Tensor(<released by its TensorScope>, shape=" + shape() + ", dtype=" + dtype() + ")";
        return TensorFormat.format(this);
    }

    // ---------------------------------------------------------------- fluent ops
    // Each family keeps its fluent methods in its own section; they delegate to Ops.

    // math
    /** this + other (broadcasting). */
    public Tensor add(Tensor other) { return Ops.add(this, other); }

    /** this + other, the scalar taking this tensor's dtype. */
    public Tensor add(double other) { return Ops.add(this, other); }

    /** this + other, the scalar taking this tensor's dtype (exact for integer tensors). */
    public Tensor add(long other) { return Ops.add(this, other); }

    /** this - other (broadcasting). */
    public Tensor sub(Tensor other) { return Ops.sub(this, other); }

    /** this - other, the scalar taking this tensor's dtype. */
    public Tensor sub(double other) { return Ops.sub(this, other); }

    /** this - other, the scalar taking this tensor's dtype (exact for integer tensors). */
    public Tensor sub(long other) { return Ops.sub(this, other); }

    /** this * other (broadcasting). */
    public Tensor mul(Tensor other) { return Ops.mul(this, other); }

    /** this * other, the scalar taking this tensor's dtype. */
    public Tensor mul(double other) { return Ops.mul(this, other); }

    /** this * other, the scalar taking this tensor's dtype (exact for integer tensors). */
    public Tensor mul(long other) { return Ops.mul(this, other); }

    /** this / other (broadcasting). */
    public Tensor div(Tensor other) { return Ops.div(this, other); }

    /** this / other, the scalar taking this tensor's dtype. */
    public Tensor div(double other) { return Ops.div(this, other); }

    /** this / other, the scalar taking this tensor's dtype (exact for integer tensors). */
    public Tensor div(long other) { return Ops.div(this, other); }

    /** floor(this / other) (broadcasting). */
    public Tensor floorDiv(Tensor other) { return Ops.floorDiv(this, other); }

    /** floor(this / other), the scalar taking this tensor's dtype. */
    public Tensor floorDiv(double other) { return Ops.floorDiv(this, other); }

    /** floor(this / other), the scalar taking this tensor's dtype (exact for integer tensors). */
    public Tensor floorDiv(long other) { return Ops.floorDiv(this, other); }

    /** this mod other (the sign of the divisor, as Python and TensorFlow) (broadcasting). */
    public Tensor mod(Tensor other) { return Ops.mod(this, other); }

    /** this mod other (the sign of the divisor, as Python and TensorFlow), the scalar taking this tensor's dtype. */
    public Tensor mod(double other) { return Ops.mod(this, other); }

    /** this mod other (the sign of the divisor, as Python and TensorFlow), the scalar taking this tensor's dtype (exact for integer tensors). */
    public Tensor mod(long other) { return Ops.mod(this, other); }

    /** this ** exponent (broadcasting). */
    public Tensor pow(Tensor exponent) { return Ops.pow(this, exponent); }

    /** this ** exponent, the scalar taking this tensor's dtype. */
    public Tensor pow(double exponent) { return Ops.pow(this, exponent); }

    /** this ** exponent, the scalar taking this tensor's dtype. */
    public Tensor pow(long exponent) { return Ops.pow(this, exponent); }

    /** the element-wise maximum (broadcasting). */
    public Tensor maximum(Tensor other) { return Ops.maximum(this, other); }

    /** the element-wise maximum, the scalar taking this tensor's dtype. */
    public Tensor maximum(double other) { return Ops.maximum(this, other); }

    /** the element-wise maximum, the scalar taking this tensor's dtype (exact for integer tensors). */
    public Tensor maximum(long other) { return Ops.maximum(this, other); }

    /** the element-wise minimum (broadcasting). */
    public Tensor minimum(Tensor other) { return Ops.minimum(this, other); }

    /** the element-wise minimum, the scalar taking this tensor's dtype. */
    public Tensor minimum(double other) { return Ops.minimum(this, other); }

    /** the element-wise minimum, the scalar taking this tensor's dtype (exact for integer tensors). */
    public Tensor minimum(long other) { return Ops.minimum(this, other); }

    /** -this, element-wise. */
    public Tensor neg() { return Ops.neg(this); }

    /** |this|, element-wise. */
    public Tensor abs() { return Ops.abs(this); }

    /** -1, 0 or 1 by the sign of each element. */
    public Tensor sign() { return Ops.sign(this); }

    /** this * this, element-wise. */
    public Tensor square() { return Ops.square(this); }

    /** e to the power of each element. */
    public Tensor exp() { return Ops.exp(this); }

    /** The natural logarithm, element-wise (-inf at 0, NaN below). */
    public Tensor log() { return Ops.log(this); }

    /** log(1 + x), element-wise, accurate for small x. */
    public Tensor log1p() { return Ops.log1p(this); }

    /** The square root, element-wise. */
    public Tensor sqrt() { return Ops.sqrt(this); }

    /** 1 / sqrt(x), element-wise. */
    public Tensor rsqrt() { return Ops.rsqrt(this); }

    /** 1 / x, element-wise. */
    public Tensor reciprocal() { return Ops.reciprocal(this); }

    /** The sine (radians), element-wise. */
    public Tensor sin() { return Ops.sin(this); }

    /** The cosine (radians), element-wise. */
    public Tensor cos() { return Ops.cos(this); }

    /** The hyperbolic tangent, element-wise. */
    public Tensor tanh() { return Ops.tanh(this); }

    /** The Gauss error function, element-wise. */
    public Tensor erf() { return Ops.erf(this); }

    /** Rounds down, element-wise. */
    public Tensor floor() { return Ops.floor(this); }

    /** Rounds up, element-wise. */
    public Tensor ceil() { return Ops.ceil(this); }

    /** Rounds half to even, element-wise, like TensorFlow and NumPy. */
    public Tensor round() { return Ops.round(this); }

    /** The values clipped to [min, max] (broadcasting). */
    public Tensor clip(Tensor min, Tensor max) { return Ops.clip(this, min, max); }

    /** The values clipped to [min, max], the bounds taking this tensor's dtype. */
    public Tensor clip(double min, double max) { return Ops.clip(this, min, max); }

    /** this == other, element-wise (bool) (broadcasting). */
    public Tensor equal(Tensor other) { return Ops.equal(this, other); }

    /** this == other, element-wise (bool), the scalar taking this tensor's dtype. */
    public Tensor equal(double other) { return Ops.equal(this, other); }

    /** this == other, element-wise (bool), the scalar taking this tensor's dtype (exact for integer tensors). */
    public Tensor equal(long other) { return Ops.equal(this, other); }

    /** this != other, element-wise (bool) (broadcasting). */
    public Tensor notEqual(Tensor other) { return Ops.notEqual(this, other); }

    /** this != other, element-wise (bool), the scalar taking this tensor's dtype. */
    public Tensor notEqual(double other) { return Ops.notEqual(this, other); }

    /** this != other, element-wise (bool), the scalar taking this tensor's dtype (exact for integer tensors). */
    public Tensor notEqual(long other) { return Ops.notEqual(this, other); }

    /** this > other, element-wise (bool) (broadcasting). */
    public Tensor greater(Tensor other) { return Ops.greater(this, other); }

    /** this > other, element-wise (bool), the scalar taking this tensor's dtype. */
    public Tensor greater(double other) { return Ops.greater(this, other); }

    /** this > other, element-wise (bool), the scalar taking this tensor's dtype (exact for integer tensors). */
    public Tensor greater(long other) { return Ops.greater(this, other); }

    /** this >= other, element-wise (bool) (broadcasting). */
    public Tensor greaterEqual(Tensor other) { return Ops.greaterEqual(this, other); }

    /** this >= other, element-wise (bool), the scalar taking this tensor's dtype. */
    public Tensor greaterEqual(double other) { return Ops.greaterEqual(this, other); }

    /** this >= other, element-wise (bool), the scalar taking this tensor's dtype (exact for integer tensors). */
    public Tensor greaterEqual(long other) { return Ops.greaterEqual(this, other); }

    /** {@code this < other}, element-wise (bool) (broadcasting). */
    public Tensor less(Tensor other) { return Ops.less(this, other); }

    /** {@code this < other}, element-wise (bool), the scalar taking this tensor's dtype. */
    public Tensor less(double other) { return Ops.less(this, other); }

    /** {@code this < other}, element-wise (bool), the scalar taking this tensor's dtype (exact for integer tensors). */
    public Tensor less(long other) { return Ops.less(this, other); }

    /** {@code this <= other}, element-wise (bool) (broadcasting). */
    public Tensor lessEqual(Tensor other) { return Ops.lessEqual(this, other); }

    /** {@code this <= other}, element-wise (bool), the scalar taking this tensor's dtype. */
    public Tensor lessEqual(double other) { return Ops.lessEqual(this, other); }

    /** {@code this <= other}, element-wise (bool), the scalar taking this tensor's dtype (exact for integer tensors). */
    public Tensor lessEqual(long other) { return Ops.lessEqual(this, other); }

    /** this AND other, element-wise on bool tensors (broadcasting). */
    public Tensor logicalAnd(Tensor other) { return Ops.logicalAnd(this, other); }

    /** this AND other with a bool scalar. */
    public Tensor logicalAnd(boolean other) { return Ops.logicalAnd(this, other); }

    /** this OR other, element-wise on bool tensors (broadcasting). */
    public Tensor logicalOr(Tensor other) { return Ops.logicalOr(this, other); }

    /** this OR other with a bool scalar. */
    public Tensor logicalOr(boolean other) { return Ops.logicalOr(this, other); }

    /** this XOR other, element-wise on bool tensors (broadcasting). */
    public Tensor logicalXor(Tensor other) { return Ops.logicalXor(this, other); }

    /** this XOR other with a bool scalar. */
    public Tensor logicalXor(boolean other) { return Ops.logicalXor(this, other); }

    /** Logical not of a bool tensor. */
    public Tensor logicalNot() { return Ops.logicalNot(this); }

    /** True where an element is NaN (bool). */
    public Tensor isNan() { return Ops.isNan(this); }

    /** True where an element is neither infinite nor NaN (bool). */
    public Tensor isFinite() { return Ops.isFinite(this); }

    /** The values converted to {@code dtype} (floats to integers truncate toward zero). */
    public Tensor cast(DType dtype) { return Ops.cast(this, dtype); }

    // linalg
    /** The matrix product; batched over leading axes for rank > 2 ([..., m, k] x [..., k, n]). */
    public Tensor matmul(Tensor other) { return Ops.matmul(this, other); }

    // reduction
    /** Sum over {@code axes} (all when none given). */
    public Tensor sum(int... axes) { return Ops.sum(this, axes); }

    /** Sum over {@code axes} (all when none given); {@code keepDims} keeps them as size 1. */
    public Tensor sum(boolean keepDims, int... axes) { return Ops.sum(this, keepDims, axes); }

    /** Mean over {@code axes} (all when none given). */
    public Tensor mean(int... axes) { return Ops.mean(this, axes); }

    /** Mean over {@code axes} (all when none given); {@code keepDims} keeps them as size 1. */
    public Tensor mean(boolean keepDims, int... axes) { return Ops.mean(this, keepDims, axes); }

    /** Maximum over {@code axes} (all when none given). */
    public Tensor max(int... axes) { return Ops.max(this, axes); }

    /** Maximum over {@code axes} (all when none given); {@code keepDims} keeps them as size 1. */
    public Tensor max(boolean keepDims, int... axes) { return Ops.max(this, keepDims, axes); }

    /** Minimum over {@code axes} (all when none given). */
    public Tensor min(int... axes) { return Ops.min(this, axes); }

    /** Minimum over {@code axes} (all when none given); {@code keepDims} keeps them as size 1. */
    public Tensor min(boolean keepDims, int... axes) { return Ops.min(this, keepDims, axes); }

    /** Product over {@code axes} (all when none given). */
    public Tensor prod(int... axes) { return Ops.prod(this, axes); }

    /** Product over {@code axes} (all when none given); {@code keepDims} keeps them as size 1. */
    public Tensor prod(boolean keepDims, int... axes) { return Ops.prod(this, keepDims, axes); }

    /** log(sum(exp(x))) over {@code axes}, computed without overflow. */
    public Tensor logSumExp(int... axes) { return Ops.logSumExp(this, axes); }

    /** log(sum(exp(x))) over {@code axes}; {@code keepDims} keeps them as size 1. */
    public Tensor logSumExp(boolean keepDims, int... axes) { return Ops.logSumExp(this, keepDims, axes); }

    /** Logical or of a bool tensor over {@code axes} (all when none given). */
    public Tensor any(int... axes) { return Ops.any(this, axes); }

    /** Logical or over {@code axes}; {@code keepDims} keeps them as size 1. */
    public Tensor any(boolean keepDims, int... axes) { return Ops.any(this, keepDims, axes); }

    /** Logical and of a bool tensor over {@code axes} (all when none given). */
    public Tensor all(int... axes) { return Ops.all(this, axes); }

    /** Logical and over {@code axes}; {@code keepDims} keeps them as size 1. */
    public Tensor all(boolean keepDims, int... axes) { return Ops.all(this, keepDims, axes); }

    /** int64 index of the largest element along {@code axis}; ties give the first, NaN wins. */
    public Tensor argmax(int axis) { return Ops.argmax(this, axis); }

    /** int64 index of the smallest element along {@code axis}; ties give the first. */
    public Tensor argmin(int axis) { return Ops.argmin(this, axis); }

    /** Running sum along {@code axis}. */
    public Tensor cumsum(int axis) { return Ops.cumsum(this, axis); }

    // array
    /** The same elements in {@code newShape} (one entry may be -1: inferred); a view when possible. */
    public Tensor reshape(int... newShape) { return Ops.reshape(this, newShape); }

    /** Permutes axes; with no {@code perm}, reverses them (matrix transpose for rank 2); a view. */
    public Tensor transpose(int... perm) { return Ops.transpose(this, perm); }

    /** The block starting at {@code begin} of {@code size} per axis (-1: to the end); a view. */
    public Tensor slice(int[] begin, int[] size) { return Ops.slice(this, begin, size); }

    /** {@code x[b0:e0:s0, b1:e1:s1, ...]}; axes not listed are taken whole. */
    public Tensor stridedSlice(int[] begin, int[] end, int[] strides) {
        return Ops.stridedSlice(this, begin, end, strides);
    }

    /** The slices at {@code indices} (an integer tensor) along {@code axis}. */
    public Tensor gather(Tensor indices, int axis) { return Ops.gather(this, indices, axis); }

    /** The slices at {@code indices} along {@code axis}. */
    public Tensor gather(int[] indices, int axis) { return Ops.gather(this, indices, axis); }

    /** Drops the given size-1 axes, or every size-1 axis when none are given; a view. */
    public Tensor squeeze(int... axes) { return Ops.squeeze(this, axes); }

    /** Inserts a size-1 axis at {@code axis} (negative counts from the end); a view. */
    public Tensor expandDims(int axis) { return Ops.expandDims(this, axis); }

    /** Repeats the tensor {@code multiples[i]} times along axis i. */
    public Tensor tile(int... multiples) { return Ops.tile(this, multiples); }

    /** The tensor broadcast to {@code shape} (NumPy rules); a view, no copy. */
    public Tensor broadcastTo(int... shape) { return Ops.broadcastTo(this, shape); }

    /** Zero padding: {@code paddings[i] = {before, after}} for axis i. */
    public Tensor pad(int[][] paddings) { return Ops.pad(this, paddings); }

    /** Sorted along the last axis, ascending, NaN last. */
    public Tensor sort() { return Ops.sort(this); }

    /** int32 indices that sort along the last axis; stable. */
    public Tensor argsort() { return Ops.argsort(this); }

    // nn
    /** max(x, 0), element-wise. */
    public Tensor relu() { return Ops.relu(this); }

    /** min(max(x, 0), 6), element-wise. */
    public Tensor relu6() { return Ops.relu6(this); }

    /** x if x > 0 else 0.2 * x (TensorFlow's default alpha). */
    public Tensor leakyRelu() { return Ops.leakyRelu(this); }

    /** x if x > 0 else alpha * x. */
    public Tensor leakyRelu(double alpha) { return Ops.leakyRelu(this, alpha); }

    /** x if x > 0 else exp(x) - 1. */
    public Tensor elu() { return Ops.elu(this); }

    /** The scaled ELU of self-normalizing networks. */
    public Tensor selu() { return Ops.selu(this); }

    /** The exact GELU, x * Phi(x) with the normal CDF. */
    public Tensor gelu() { return Ops.gelu(this); }

    /** The GELU; {@code approximate} uses the tanh approximation. */
    public Tensor gelu(boolean approximate) { return Ops.gelu(this, approximate); }

    /** 1 / (1 + exp(-x)), element-wise. */
    public Tensor sigmoid() { return Ops.sigmoid(this); }

    /** log(1 + exp(x)), element-wise. */
    public Tensor softplus() { return Ops.softplus(this); }

    /** Softmax over the last axis (each row sums to 1). */
    public Tensor softmax() { return Ops.softmax(this); }

    /** Softmax over {@code axis}. */
    public Tensor softmax(int axis) { return Ops.softmax(this, axis); }

    /** log(softmax(x)) over the last axis, computed stably. */
    public Tensor logSoftmax() { return Ops.logSoftmax(this); }

    /** log(softmax(x)) over {@code axis}, computed stably. */
    public Tensor logSoftmax(int axis) { return Ops.logSoftmax(this, axis); }

    // random/creation
}
