package org.nabla.ops;

import org.nabla.Shape;

/** Array manipulation: reshape, transpose, slicing, joining, gathering, sorting, padding, casting of layout. */
public final class ArrayOps {
    private ArrayOps() {}

    public static final OpDef RESHAPE = OpDef.builder("Reshape").inputs("tensor")
            .attr("shape", AttrType.INTS)
            .shape((in, a) -> Infer.one(in[0].dtype(), reshapeTarget(in[0].shape(), a.getInts("shape"))))
            .summary("same elements, new shape; one dimension may be -1 (inferred)").build();

    public static final OpDef TRANSPOSE = OpDef.builder("Transpose").inputs("x")
            .attr("perm", AttrType.INTS)
            .shape((in, a) -> Infer.one(in[0].dtype(), permute(in[0].shape(), a.getInts("perm"))))
            .summary("permutes axes; output axis i is input axis perm[i]").build();

    /** The output shape of Reshape, resolving one -1 dimension. */
    static Shape reshapeTarget(Shape input, int[] target) {
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) {
                if (inferred >= 0) {
                    throw new OpException("Reshape", "only one dimension can be -1, got " + java.util.Arrays
                            .toString(target));
                }
                inferred = i;
            } else if (target[i] < 0) {
                throw new OpException("Reshape", "negative dimension " + target[i] + " in target shape "
                        + java.util.Arrays.toString(target));
            } else {
                known *= target[i];
            }
        }
        int[] out = target.clone();
        long size = input.size();
        if (size < 0) {
            return Shape.of(out); // unknown input size: an inferred dim stays unknown
        }
        if (inferred >= 0) {
            if (known == 0 || size % known != 0) {
                throw new OpException("Reshape", "cannot reshape a tensor of shape " + input + " (" + size
                        + " elements) into " + java.util.Arrays.toString(target));
            }
            out[inferred] = (int) (size / known);
        } else if (known != size) {
            throw new OpException("Reshape", "cannot reshape a tensor of shape " + input + " (" + size
                    + " elements) into shape " + Shape.of(target) + " (" + known + " elements)");
        }
        return Shape.of(out);
    }

    /** Validates a permutation and applies it to a shape. */
    static Shape permute(Shape input, int[] perm) {
        int rank = input.rank();
        if (perm.length != rank) {
            throw new OpException("Transpose", "perm " + java.util.Arrays.toString(perm) + " has " + perm.length
                    + " entries but the input " + input + " has rank " + rank);
        }
        boolean[] seen = new boolean[rank];
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int p = perm[i] < 0 ? perm[i] + rank : perm[i];
            if (p < 0 || p >= rank || seen[p]) {
                throw new OpException("Transpose", "perm " + java.util.Arrays.toString(perm)
                        + " is not a permutation of 0.." + (rank - 1));
            }
            seen[p] = true;
            out[i] = input.dim(p);
        }
        return Shape.of(out);
    }
}
