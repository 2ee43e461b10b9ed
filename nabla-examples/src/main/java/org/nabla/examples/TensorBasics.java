package org.nabla.examples;

import java.io.PrintStream;
import java.util.Arrays;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * The tensor section of the seed notes (TensorFlow's "Introduction to tensors"), step by step in Nabla: scalars,
 * vectors, matrices and 3-axis tensors, conversion back to Java arrays, arithmetic, reductions and
 * convert_to_tensor. Each result prints exactly as {@code print(tensor)} does in TensorFlow.
 *
 * <p>Run with {@code scripts/example.sh TensorBasics}.
 */
public final class TensorBasics {
    private TensorBasics() {}

    public static void main(String[] args) { run(System.out); }

    static void run(PrintStream out) {
        section(out, "A scalar is a rank-0 tensor: one value, no axes");
        // rank_0_tensor = tf.constant(4)
        Tensor rank0 = Ops.constant(4);
        out.println(rank0);

        section(out, "A vector is a rank-1 tensor: a list of values, one axis");
        // rank_1_tensor = tf.constant([2.0, 3.0, 4.0])   (Java float literals give float32, like Python floats in TF)
        Tensor rank1 = Ops.constant(new float[] {2.0f, 3.0f, 4.0f});
        out.println(rank1);

        section(out, "A matrix is a rank-2 tensor: two axes");
        // rank_2_tensor = tf.constant([[1, 2], [3, 4], [5, 6]], dtype=tf.float16)  (Nabla has no float16 yet)
        Tensor rank2 = Ops.convertToTensor(new int[][] {{1, 2}, {3, 4}, {5, 6}}, DType.FLOAT32);
        out.println(rank2);

        section(out, "Tensors may have more axes; here is one with three");
        Tensor rank3 = Ops.constant(new int[][][] {
                {{0, 1, 2, 3, 4}, {5, 6, 7, 8, 9}},
                {{10, 11, 12, 13, 14}, {15, 16, 17, 18, 19}},
                {{20, 21, 22, 23, 24}, {25, 26, 27, 28, 29}}});
        out.println(rank3);
        out.println("the same values from range and reshape: " + Ops.range(30).reshape(3, 2, 5).shape());
        out.println("rank " + rank3.rank() + ", shape " + rank3.shape() + ", dtype " + rank3.dtype() + ", "
                + rank3.size() + " elements");

        section(out, "Converting a tensor to Java arrays (np.array(tensor) / tensor.numpy())");
        float[][] asArray = (float[][]) rank2.toArray();
        out.println(Arrays.deepToString(asArray));
        out.println(Arrays.toString(rank2.toFloatArray()) + "  (flat, row-major)");
        out.println(rank0.intValue() + "  (a scalar as a Java int)");

        section(out, "Basic math: addition, element-wise multiplication, matrix multiplication");
        Tensor a = Ops.constant(new int[][] {{1, 2}, {3, 4}});
        Tensor b = Ops.constant(new int[][] {{1, 1}, {1, 1}}); // could also be Ops.ones(DType.INT32, 2, 2)
        out.println(Ops.add(a, b) + "\n");
        out.println(Ops.mul(a, b) + "\n");
        out.println(Ops.matmul(a, b) + "\n");
        out.println("Java has no operator overloading: a + b, a * b and a @ b are fluent calls");
        out.println(a.add(b) + "\n"); // element-wise addition
        out.println(a.mul(b) + "\n"); // element-wise multiplication
        out.println(a.matmul(b) + "\n"); // matrix multiplication
        out.println(Ops.ones(DType.INT32, 2, 2).add(a));

        section(out, "Reductions and more: reduce_max, argmax, softmax");
        Tensor c = Ops.constant(new float[][] {{4.0f, 5.0f}, {10.0f, 1.0f}});
        out.println(c);
        // Find the largest value
        out.println(Ops.max(c));
        // Find the index of the largest value
        out.println(Ops.argmax(c, 0));
        // Compute the softmax
        out.println(Ops.softmax(c));

        section(out, "convert_to_tensor: a Java value wherever a tensor is expected");
        out.println(Ops.convertToTensor(new int[] {1, 2, 3}));
        out.println(Ops.convertToTensor(new double[] {1, 2, 3}));
        out.println(Ops.add(Tensors.of(new float[] {1, 2, 3}), 10)); // 10 becomes a float32 tensor first
        Tensor identity = Ops.eye(2);
        out.println("a tensor passes through unchanged: " + (Ops.convertToTensor(identity) == identity));
    }

    private static void section(PrintStream out, String title) {
        out.println();
        out.println("== " + title);
    }
}
