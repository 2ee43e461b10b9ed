package org.nabla.runtime.optimize;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.GraphFunction;
import org.nabla.ops.GraphOps;

/**
 * Merges nodes that compute the same thing: same op, same attributes (constants of up to
 * {@link OptimizerOptions#maxCseConstantElements()} elements compared by value, bit for bit), the same inputs after
 * merging, the same control inputs and the same requested device. Stateful ops, Placeholders (each is fed on its
 * own), ops without outputs and pinned nodes are never merged.
 */
final class CommonSubexpressionElimination implements Pass {
    @Override
    public Optimized apply(Graph graph, Set<Node> pinned, OptimizerOptions options) {
        GraphRewriter rw = new GraphRewriter(graph);
        Map<Key, Node> seen = new HashMap<>();
        for (Node n : graph.nodes()) {
            if (!mergeable(n, pinned)) {
                rw.copy(n);
                continue;
            }
            Key key = new Key(n.op().name(), attrKey(n, options), rw.inputsOf(n), new HashSet<>(rw.controlsOf(n)),
                    n.device());
            Node same = seen.get(key);
            if (same != null) {
                rw.replace(n, IntStream.range(0, same.numOutputs()).mapToObj(i -> new Output(same, i)).toList());
            } else {
                seen.put(key, rw.copy(n));
            }
        }
        return rw.finish();
    }

    private static boolean mergeable(Node n, Set<Node> pinned) {
        if (n.op().isStateful() || n.op() == GraphOps.PLACEHOLDER || n.numOutputs() == 0 || pinned.contains(n)) {
            return false;
        }
        for (Object v : n.attrs().asMap().values()) if (v instanceof GraphFunction) return false;
        return true;
    }

    private record Key(String op, Map<String, Object> attrs, List<Output> inputs, Set<Node> controls,
                       String device) {}

    /** The attributes with arrays and tensors turned into values with equals/hashCode by content. */
    private static Map<String, Object> attrKey(Node n, OptimizerOptions options) {
        Map<String, Object> key = new TreeMap<>();
        for (Map.Entry<String, Object> e : n.attrs().asMap().entrySet()) {
            Object v = e.getValue();
            key.put(e.getKey(), switch (v) {
                case int[] a -> new Content(a.getClass(), ByteBuffer.wrap(bytesOf(a)));
                case double[] a -> new Content(a.getClass(), ByteBuffer.wrap(bytesOf(a)));
                case Tensor t when t.size() <= options.maxCseConstantElements() -> new TensorValue(t.spec().toString(),
                        ByteBuffer.wrap(bytesOf(t)));
                default -> v; // a large tensor: only the same Tensor object matches
            });
        }
        return key;
    }

    private record Content(Class<?> kind, ByteBuffer bytes) {}

    private record TensorValue(String spec, ByteBuffer bytes) {}

    private static byte[] bytesOf(int[] a) {
        ByteBuffer b = ByteBuffer.allocate(a.length * 4);
        b.asIntBuffer().put(a);
        return b.array();
    }

    private static byte[] bytesOf(double[] a) {
        ByteBuffer b = ByteBuffer.allocate(a.length * 8);
        for (double d : a) b.putLong(Double.doubleToRawLongBits(d));
        return b.array();
    }

    /** The exact element bits of a tensor (so 0.0 and -0.0, or two NaNs with different payloads, differ). */
    private static byte[] bytesOf(Tensor t) {
        Tensor d = t.dense();
        int n = Math.toIntExact(t.size());
        // strings length-prefixed, so ["ab", "c"] and ["a", "bc"] differ; complex with both parts of every element
        if (t.dtype() == DType.STRING || t.dtype().isComplex()) {
            ByteBuffer s = ByteBuffer.allocate(Math.toIntExact(org.nabla.io.TensorBytes.byteCount(d)));
            org.nabla.io.TensorBytes.put(s, d);
            return s.array();
        }
        ByteBuffer b = ByteBuffer.allocate(n * t.dtype().byteSize());
        switch (d.data()) {
            case float[] a -> { for (int i = 0; i < n; i++) b.putInt(Float.floatToRawIntBits(a[i])); }
            case double[] a -> { for (int i = 0; i < n; i++) b.putLong(Double.doubleToRawLongBits(a[i])); }
            case int[] a -> b.asIntBuffer().put(a, 0, n);
            case long[] a -> b.asLongBuffer().put(a, 0, n);
            case byte[] a -> b.put(a, 0, n);
            case short[] a -> b.asShortBuffer().put(a, 0, n);
            default -> throw new IllegalStateException("unsupported storage " + Objects.toString(d.data()));
        }
        return b.array();
    }
}
