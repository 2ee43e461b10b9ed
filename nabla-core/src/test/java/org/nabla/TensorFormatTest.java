package org.nabla;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Printing against NumPy 1.24's {@code str(array)} (the text TensorFlow puts inside {@code tf.Tensor(...)}). Every
 * expected string below was produced by NumPy, not written by hand; a port of the same rules was also checked
 * against about 1400 random arrays of every dtype, rank 1 to 4, with NaN/inf, summaries and wrapping.
 */
class TensorFormatTest {
    private static void numpy(String expected, Tensor t) { assertEquals(expected, TensorFormat.values(t)); }

    private static Tensor f32(float... v) { return Tensors.of(v); }

    private static Tensor f64(double... v) { return Tensors.of(v); }

    @Test
    void floatsPickPositionalOrScientificLikeNumPy() {
        numpy("[  1.  10. 100.]", f32(1, 10, 100));
        numpy("[0.5  2.25]", f32(0.5f, 2.25f));
        numpy("[   1.5 1000. ]", f64(1.5, 1000));
        numpy("[1.000e+00 1.001e+03]", f64(1, 1001)); // magnitudes span more than 1000x
        numpy("[1.e+08 1.e+00]", f32(1e8f, 1));       // 1e8 or more
        numpy("[1.e-05 1.e-06]", f64(1e-5, 1e-6));    // below 1e-4
        numpy("[0.e+00 1.e-05]", f64(0, 1e-5));
        numpy("[1.e-300 1.e+300]", f64(1e-300, 1e300));
        numpy("[ 1.23456789e+05 -5.00000000e-01]", f64(123456.789, -0.5));
        numpy("[-1.   2.5]", f32(-1, 2.5f));
        numpy("[-0.   1.5]", f64(-0.0, 1.5));
        numpy("[  -1    2 -300]", Tensors.of(new int[] {-1, 2, -300}));
    }

    @Test
    void float32AndFloat64Precision() {
        numpy("[0.1 0.2 0.3]", f32(0.1f, 0.2f, 0.3f));
        numpy("[0.1 0.2 0.3]", f64(0.1, 0.2, 0.3));
        numpy("[0.3]", f64(0.1 + 0.2));
        numpy("[0.33333334]", f32(1f / 3));
        numpy("[0.33333333]", f64(1.0 / 3));
        // scientific notation pads with the value's real digits, not zeros
        numpy("[ 3.3043709e+08 -1.3031572e+09  1.5000000e+00]", f32(330437088f, -1303157248f, 1.5f));
        numpy("[1.e-45 1.e+00]", f32(Float.MIN_VALUE, 1));
    }

    @Test
    void nanAndInfinity() {
        numpy("[nan 1.5]", f32(Float.NaN, 1.5f));
        numpy("[ inf -inf]", f64(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
        numpy("[-inf   2.]", f64(Double.NEGATIVE_INFINITY, 2));
    }

    @Test
    void integersBoolsAndUint8() {
        numpy("[-9223372036854775808  9223372036854775807                    5]",
                Tensors.of(new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 5}));
        numpy("[  0 255   7]", Tensors.of(new byte[] {0, (byte) 255, 7}));
        numpy("[ True  True]", Tensors.of(new boolean[] {true, true}));
        numpy("[[False False]]", Tensors.of(new boolean[][] {{false, false}}));
    }

    @Test
    void matricesAnd3dTensorsWithBlankLines() {
        numpy("[[ 4.  5.]\n [10.  1.]]", Tensors.of(new float[][] {{4, 5}, {10, 1}}));
        numpy("[[[ 0  1  2  3]\n  [ 4  5  6  7]\n  [ 8  9 10 11]]\n\n [[12 13 14 15]\n  [16 17 18 19]\n  [20 21 22 23]]]",
                Ops.range(24).reshape(2, 3, 4));
        numpy("[[[0.   0.25]\n  [0.5  0.75]\n  [1.   1.25]]\n\n [[1.5  1.75]\n  [2.   2.25]\n  [2.5  2.75]]]",
                Ops.range(0f, 3f, 0.25f).reshape(2, 3, 2));
    }

    @Test
    void wrapsLinesAt75Characters() {
        numpy("[ 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23\n 24 25 26 27 28 29]",
                Ops.range(30));
        double[] thirds = new double[30];
        for (int i = 0; i < 30; i++) thirds[i] = i / 3.0;
        numpy("[0.         0.33333333 0.66666667 1.         1.33333333 1.66666667\n"
                + " 2.         2.33333333 2.66666667 3.         3.33333333 3.66666667\n"
                + " 4.         4.33333333 4.66666667 5.         5.33333333 5.66666667\n"
                + " 6.         6.33333333 6.66666667 7.         7.33333333 7.66666667\n"
                + " 8.         8.33333333 8.66666667 9.         9.33333333 9.66666667]", f64(thirds));
    }

    @Test
    void abbreviatesMoreThan1000Elements() {
        numpy("[   0    1    2 ... 1997 1998 1999]", Ops.range(2000));
        float[] tenths = new float[1001];
        for (int i = 0; i < tenths.length; i++) tenths[i] = i / 10f;
        numpy("[  0.    0.1   0.2 ...  99.8  99.9 100. ]", f32(tenths)); // widths from the shown items only
        numpy("[[   0    1    2 ...   97   98   99]\n [ 100  101  102 ...  197  198  199]\n"
                + " [ 200  201  202 ...  297  298  299]\n ...\n [1700 1701 1702 ... 1797 1798 1799]\n"
                + " [1800 1801 1802 ... 1897 1898 1899]\n [1900 1901 1902 ... 1997 1998 1999]]",
                Ops.range(2000).reshape(20, 100));
        String cube = TensorFormat.values(Ops.range(0, 2000, 1, DType.INT64).reshape(10, 10, 20));
        assertEquals("[[[   0    1    2 ...   17   18   19]\n  [  20   21   22 ...   37   38   39]\n"
                + "  [  40   41   42 ...   57   58   59]\n  ...\n  [ 140  141  142 ...  157  158  159]\n"
                + "  [ 160  161  162 ...  177  178  179]\n  [ 180  181  182 ...  197  198  199]]\n\n"
                + " [[ 200  201  202 ...  217  218  219]\n", cube.substring(0, cube.indexOf("  [ 220")));
        assertEquals(" ...\n\n [[1400 1401 1402 ... 1417 1418 1419]\n",
                cube.substring(cube.indexOf(" ...\n\n"), cube.indexOf("  [1420")));
        assertEquals("  [1980 1981 1982 ... 1997 1998 1999]]]", cube.substring(cube.lastIndexOf('\n') + 1));
    }

    @Test
    void highRankSummariesTouchOnlyTheEdges() {
        Tensor t = Ops.zeros(DType.INT32, 7, 7, 7, 7, 7, 7, 7, 7); // 5.7 million elements, 6^8 of them shown
        String s = TensorFormat.values(t);
        assertEquals("[[[[[[[[0 0 0 ... 0 0 0]", s.substring(0, s.indexOf('\n')));
    }

    @Test
    void scalarsPrintLikeNumPyScalars() {
        numpy("4.0", Tensors.scalar(4f));
        numpy("0.1", Tensors.scalar(0.1f));
        numpy("1e-05", Tensors.scalar(1e-5f));
        numpy("1e+16", Tensors.scalar(1e16));
        numpy("123456790.0", Tensors.scalar(123456789f));
        numpy("0.30000000000000004", Tensors.scalar(0.1 + 0.2));
        numpy("nan", Tensors.scalar(Float.NaN));
        numpy("-inf", Tensors.scalar(Double.NEGATIVE_INFINITY));
        numpy("1.5e+300", Tensors.scalar(1.5e300));
        numpy("-0.0", Tensors.scalar(-0.0));
        numpy("7", Tensors.scalar(7));
        numpy("True", Tensors.scalar(true));
    }

    @Test
    void tensorFlowWrapper() {
        assertEquals("tf.Tensor(4, shape=(), dtype=int32)", Tensors.scalar(4).toString());
        assertEquals("tf.Tensor(10.0, shape=(), dtype=float32)", Tensors.scalar(10f).toString());
        assertEquals("tf.Tensor([2. 3. 4.], shape=(3,), dtype=float32)", f32(2, 3, 4).toString());
        // TensorFlow starts the values on a new line exactly when NumPy's text has several lines
        assertEquals("tf.Tensor([[1 2]], shape=(1, 2), dtype=int32)", Tensors.of(new int[][] {{1, 2}}).toString());
        assertEquals("tf.Tensor(\n[[1 2]\n [3 4]], shape=(2, 2), dtype=int32)",
                Tensors.of(new int[][] {{1, 2}, {3, 4}}).toString());
        assertEquals("tf.Tensor(\n[ 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23\n 24 25 26 27"
                + " 28 29], shape=(30,), dtype=int32)", Ops.range(30).toString());
        assertEquals("tf.Tensor([], shape=(0,), dtype=float32)", Tensors.of(new float[0]).toString());
        assertEquals("tf.Tensor([], shape=(0, 3), dtype=float32)", Tensors.of(new float[0], 0, 3).toString());
        assertEquals("tf.Tensor([], shape=(2, 0), dtype=int32)", Tensors.of(new int[0], 2, 0).toString());
        assertEquals("tf.Tensor([ True False], shape=(2,), dtype=bool)",
                Tensors.of(new boolean[] {true, false}).toString());
        assertEquals("tf.Tensor([200   1], shape=(2,), dtype=uint8)", Tensors.of(new byte[] {(byte) 200, 1})
                .toString());
    }

    @Test
    void printsViewsInLogicalOrder() {
        Tensor t = Tensors.of(new int[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose();
        assertEquals("tf.Tensor(\n[[1 4]\n [2 5]\n [3 6]], shape=(3, 2), dtype=int32)", t.toString());
    }
}
