package org.nabla.onnx;

import java.util.ArrayList;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.onnx.OnnxValue.OptionalValue;
import org.nabla.onnx.OnnxValue.SequenceValue;

/**
 * ONNX's sequence and optional operators. A sequence is a Java list of tensors fixed at import (see
 * {@link OnnxValue}), so these rules build no ops of their own: they pick, insert and drop list elements, and positions
 * must be known at import. Splitting into and concatenating from a sequence use Nabla's split and concat.
 */
final class SequenceRules {
    private SequenceRules() {}

    static void register(OnnxOperators r) {
        r.valueRule("Identity", n -> List.of(identity(n.value(0), n)));
        r.valueRule("SequenceConstruct", SequenceRules::construct);
        r.valueRule("SequenceEmpty", n -> List.of(new SequenceValue(
                OnnxTypes.toDType((int) n.attrInt("dtype", 1), n.where() + " attribute 'dtype'"), List.of())));
        r.valueRule("SequenceAt", n -> {
            List<Tensor> s = sequence(n, 0).elements();
            return List.of(OnnxValue.of(s.get(position(n, 1, s.size(), false, s.size()))));
        });
        r.valueRule("SequenceInsert", SequenceRules::insert);
        r.valueRule("SequenceErase", SequenceRules::erase);
        r.valueRule("SequenceLength", n -> List.of(OnnxValue.of(Tensors.scalar((long) sequence(n, 0).elements().size()))));
        r.valueRule("SplitToSequence", SequenceRules::splitToSequence);
        r.valueRule("ConcatFromSequence", SequenceRules::concatFromSequence);
        r.valueRule("SequenceMap", SequenceMap::apply);
        r.valueRule("Optional", n -> List.of(n.value(0) == null ? OptionalValue.NONE : new OptionalValue(n.value(0))));
        r.valueRule("OptionalHasElement", n -> {
            OnnxValue v = n.value(0);
            boolean has = v != null && (!(v instanceof OptionalValue o) || o.hasElement());
            return List.of(OnnxValue.of(Tensors.scalar(has)));
        });
        r.valueRule("OptionalGetElement", n -> {
            OnnxValue v = n.value(0);
            if (v == null) throw n.error("input 0 is required but missing");
            if (!(v instanceof OptionalValue o)) return List.of(v);
            if (!o.hasElement()) throw n.error("the optional input holds no value");
            return List.of(o.element());
        });
    }

    /** Identity passes any value on; a 16-bit float tensor through Nabla's identity as before. */
    private static OnnxValue identity(OnnxValue v, OnnxNode n) {
        if (v == null) throw n.error("input 0 is required but missing");
        return v instanceof OnnxValue.TensorValue t ? OnnxValue.of(Ops.identity(t.tensor())) : v;
    }

    static SequenceValue sequence(OnnxNode n, int i) {
        OnnxValue v = n.value(i);
        if (v instanceof SequenceValue s) return s;
        throw n.error("input " + i + " must be a sequence, got " + (v == null ? "nothing" : v.kind()));
    }

    private static List<OnnxValue> construct(OnnxNode n) {
        List<Tensor> in = n.presentInputs();
        if (in.isEmpty()) throw n.error("needs at least one tensor");
        return List.of(new SequenceValue(in.get(0).dtype(), in));
    }

    /**
     * The position input {@code i} (a known integer scalar; negative counts from the end) for a sequence of
     * {@code size}, or {@code dflt} when absent; {@code inclusiveEnd} allows {@code size} itself (insert at the back).
     */
    private static int position(OnnxNode n, int i, int size, boolean inclusiveEnd, int dflt) {
        if (n.in(i) == null) return dflt;
        Tensor p = n.constant(i);
        if (p.size() != 1 || !p.dtype().isInteger()) throw n.error("position must be one integer, got " + p.spec());
        long v = p.toLongArray()[0];
        long at = v < 0 ? v + size : v;
        if (at < 0 || at > size || at == size && !inclusiveEnd) {
            throw n.error("position " + v + " is out of range for a sequence of " + size + " tensors");
        }
        return (int) at;
    }

    private static List<OnnxValue> insert(OnnxNode n) {
        SequenceValue s = sequence(n, 0);
        Tensor t = n.required(1);
        if (t.dtype() != s.elementType()) {
            throw n.error("cannot insert a " + t.dtype() + " tensor into a sequence of " + s.elementType());
        }
        List<Tensor> out = new ArrayList<>(s.elements());
        out.add(position(n, 2, out.size(), true, out.size()), t);
        return List.of(new SequenceValue(s.elementType(), out));
    }

    private static List<OnnxValue> erase(OnnxNode n) {
        SequenceValue s = sequence(n, 0);
        List<Tensor> out = new ArrayList<>(s.elements());
        if (out.isEmpty()) throw n.error("cannot erase from an empty sequence");
        out.remove(position(n, 1, out.size(), false, out.size() - 1));
        return List.of(new SequenceValue(s.elementType(), out));
    }

    /** SplitToSequence(input, split?): pieces of 1 (squeezed unless keepdims), of a given length, or of given lengths. */
    private static List<OnnxValue> splitToSequence(OnnxNode n) {
        Tensor x = n.required(0);
        int axis = axis(n, (int) n.attrInt("axis", 0), x.rank(), x.rank());
        int dim = x.shape().dim(axis);
        if (dim < 0) throw n.unsupported("the split axis " + axis + " has a size unknown at import");
        Tensor split = n.in(1) == null ? null : n.constant(1);
        int[] sizes;
        if (split == null || split.rank() == 0) {
            int piece = split == null ? 1 : (int) split.toLongArray()[0];
            if (piece <= 0) throw n.error("split must be positive, got " + piece);
            int count = (dim + piece - 1) / piece;
            sizes = new int[count];
            for (int i = 0; i < count; i++) sizes[i] = Math.min(piece, dim - i * piece);
        } else {
            long[] v = split.toLongArray();
            sizes = new int[v.length];
            long total = 0;
            for (int i = 0; i < v.length; i++) {
                sizes[i] = (int) v[i];
                total += v[i];
            }
            if (total != dim) throw n.error("split sizes sum to " + total + ", axis " + axis + " has " + dim);
        }
        List<Tensor> pieces = new ArrayList<>(sizes.length == 0 ? List.of() : List.of(Ops.split(x, sizes, axis)));
        if (split == null && n.attrInt("keepdims", 1) == 0) pieces.replaceAll(p -> Ops.squeeze(p, axis));
        return List.of(new SequenceValue(x.dtype(), pieces));
    }

    /** ConcatFromSequence: concatenated along {@code axis}, or stacked along a new one ({@code new_axis} 1). */
    private static List<OnnxValue> concatFromSequence(OnnxNode n) {
        SequenceValue s = sequence(n, 0);
        if (!n.hasAttr("axis")) throw n.error("needs the attribute 'axis'");
        if (s.elements().isEmpty()) throw n.error("cannot concatenate an empty sequence");
        boolean stack = n.attrInt("new_axis", 0) == 1;
        int rank = s.elements().get(0).rank();
        int axis = axis(n, (int) n.attrInt("axis", 0), rank + (stack ? 1 : 0), rank);
        Tensor[] parts = s.elements().toArray(Tensor[]::new);
        return List.of(OnnxValue.of(stack ? Ops.stack(axis, parts) : Ops.concat(axis, parts)));
    }

    /** A non-negative axis of a result of {@code rank}; {@code inputRank} for the message. */
    private static int axis(OnnxNode n, int axis, int rank, int inputRank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.max(rank, 1)) {
            throw n.error("axis " + axis + " is out of range for tensors of rank " + inputRank);
        }
        return a;
    }

    /** The element type of a sequence built from {@code elements}, else the declared one. */
    static DType elementType(List<Tensor> elements, DType declared) {
        return elements.isEmpty() ? declared : elements.get(0).dtype();
    }
}
