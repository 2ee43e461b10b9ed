package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.nabla.ops.IntegerDTypesTest.NEW;
import static org.nabla.ops.IntegerDTypesTest.TWO_64;
import static org.nabla.ops.IntegerDTypesTest.bits;
import static org.nabla.ops.IntegerDTypesTest.longs;
import static org.nabla.ops.IntegerDTypesTest.randomValues;
import static org.nabla.ops.IntegerDTypesTest.tensor;
import static org.nabla.ops.IntegerDTypesTest.value;
import static org.nabla.ops.IntegerDTypesTest.wrap;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * The kernels for int8, int16, uint16, uint32 and uint64: elementwise math and comparisons with broadcasting,
 * reductions, sorting and data movement, against BigInteger references computed with plain loops (arithmetic wraps to
 * the dtype's width as in NumPy; unsigned dtypes compare and divide unsigned).
 */
class IntegerDTypesMathTest {
    static BigInteger floorDiv(BigInteger a, BigInteger b) {
        BigInteger[] qr = a.divideAndRemainder(b);
        return qr[1].signum() != 0 && qr[1].signum() != b.signum() ? qr[0].subtract(BigInteger.ONE) : qr[0];
    }

    private static final Map<OpDef, BinaryOperator<BigInteger>> ARITHMETIC = Map.of(
            MathOps.ADD, BigInteger::add,
            MathOps.SUB, BigInteger::subtract,
            MathOps.MUL, BigInteger::multiply,
            MathOps.DIV, BigInteger::divide, // truncation toward zero, like the int32 kernel
            MathOps.FLOOR_DIV, IntegerDTypesMathTest::floorDiv,
            MathOps.MOD, (a, b) -> a.subtract(floorDiv(a, b).multiply(b)),
            MathOps.MAXIMUM, BigInteger::max,
            MathOps.MINIMUM, BigInteger::min,
            MathOps.POW, (a, b) -> a.pow(b.intValueExact()));

    private static final Map<OpDef, java.util.function.IntPredicate> COMPARISONS = Map.of(
            MathOps.EQUAL, c -> c == 0, MathOps.NOT_EQUAL, c -> c != 0, MathOps.GREATER, c -> c > 0,
            MathOps.GREATER_EQUAL, c -> c >= 0, MathOps.LESS, c -> c < 0, MathOps.LESS_EQUAL, c -> c <= 0);

    private static final int[][][] SHAPES = {{{2, 3}, {2, 3}}, {{2, 3}, {3}}, {{2, 1}, {1, 3}}, {{}, {2, 3}},
        {{4, 1}, {}}, {{0, 3}, {3}}};

    // ---------------------------------------------------------------- elementwise math

    @Test
    void arithmeticWrapsLikeNumPyWithBroadcasting() {
        Random rnd = new Random(42);
        for (DType d : NEW) {
            for (Map.Entry<OpDef, BinaryOperator<BigInteger>> e : ARITHMETIC.entrySet()) {
                OpDef op = e.getKey();
                boolean division = op == MathOps.DIV || op == MathOps.FLOOR_DIV || op == MathOps.MOD;
                for (int[][] shapes : SHAPES) {
                    int[] sa = shapes[0], sb = shapes[1];
                    int[] so = Infer.broadcast("test", Shape.of(sa), Shape.of(sb)).dims();
                    long[] a = randomValues(d, rnd, (int) Shape.of(sa).size());
                    long[] b = randomValues(d, rnd, (int) Shape.of(sb).size());
                    for (int i = 0; i < b.length; i++) {
                        if (division && b[i] == 0) b[i] = 3;
                        if (op == MathOps.POW) b[i] = rnd.nextInt(6);
                    }
                    Tensor out = Ops.run(op, Attrs.EMPTY, tensor(d, a, sa), tensor(d, b, sb));
                    assertEquals(d, out.dtype());
                    assertEquals(Shape.of(so), out.shape());
                    long[] expected = reference(so, sa, sb, (i, j) -> wrap(d, e.getValue().apply(value(d, a[i]),
                            value(d, b[j]))));
                    assertArrayEquals(expected, longs(out), () -> op.name() + " " + d + " " + Shape.of(sa) + " with "
                            + Shape.of(sb) + ": a=" + Arrays.toString(a) + " b=" + Arrays.toString(b));
                }
            }
        }
    }

    @Test
    void comparisonsAreUnsignedForUnsignedDTypes() {
        Random rnd = new Random(3);
        for (DType d : NEW) {
            for (Map.Entry<OpDef, java.util.function.IntPredicate> e : COMPARISONS.entrySet()) {
                for (int[][] shapes : SHAPES) {
                    int[] sa = shapes[0], sb = shapes[1];
                    int[] so = Infer.broadcast("test", Shape.of(sa), Shape.of(sb)).dims();
                    long[] a = randomValues(d, rnd, (int) Shape.of(sa).size());
                    long[] b = randomValues(d, rnd, (int) Shape.of(sb).size());
                    for (int i = 0; i < b.length; i += 2) if (a.length > 0) b[i] = a[i % a.length]; // ties
                    Tensor out = Ops.run(e.getKey(), Attrs.EMPTY, tensor(d, a, sa), tensor(d, b, sb));
                    assertEquals(DType.BOOL, out.dtype());
                    long[] expected = reference(so, sa, sb, (i, j) -> e.getValue().test(value(d, a[i])
                            .compareTo(value(d, b[j]))) ? 1 : 0);
                    assertArrayEquals(expected, longs(out), () -> e.getKey().name() + " " + d);
                }
            }
        }
        // Values above the signed range.
        Tensor u32 = Tensors.convert(new long[] {4294967295L, 1L << 31, 1}, DType.UINT32);
        assertArrayEquals(new long[] {1, 1, 0}, longs(u32.greater(Tensors.convert(7, DType.UINT32))));
        Tensor u64 = Tensors.convert(new long[] {-1, Long.MIN_VALUE, Long.MAX_VALUE}, DType.UINT64);
        assertArrayEquals(new long[] {1, 1, 0}, longs(u64.greater(Tensors.convert(Long.MAX_VALUE, DType.UINT64))));
        assertArrayEquals(new long[] {0, 0, 1}, longs(u64.lessEqual(Tensors.convert(Long.MAX_VALUE, DType.UINT64))));
        Tensor u16 = Tensors.convert(new int[] {65535, 1}, DType.UINT16);
        assertArrayEquals(new long[] {0, 1}, longs(u16.less(Tensors.convert(40000, DType.UINT16))));
    }

    @Test
    void unsignedDivisionModAndExtremesUseTheFullRange() {
        Tensor u64 = Tensors.convert(new long[] {-1, -2, Long.MIN_VALUE, 10}, DType.UINT64);
        Tensor three = Tensors.convert(3, DType.UINT64);
        // 2^64 - 1 = 3 * 6148914691236517205; 2^64 - 2 = 3 * 6148914691236517204 + 2; 2^63 = 3 * 3074457345618258602 + 2
        assertArrayEquals(new long[] {6148914691236517205L, 6148914691236517204L, 3074457345618258602L, 3},
                longs(u64.div(three)));
        assertArrayEquals(longs(u64.div(three)), longs(u64.floorDiv(three)));
        assertArrayEquals(new long[] {0, 2, 2, 1}, longs(u64.mod(three)));
        assertArrayEquals(new long[] {-1, -2, Long.MIN_VALUE, 10}, longs(u64.maximum(three)));
        assertArrayEquals(new long[] {3, 3, 3, 3}, longs(u64.minimum(three)));
        assertArrayEquals(new long[] {1, 4, 0, 100}, longs(u64.pow(2)));
        assertArrayEquals(new long[] {-2, -2, Long.MIN_VALUE, 11}, longs(u64.clip(11, -2L))); // to [11, 2^64 - 2]
        Tensor u32 = Tensors.convert(new long[] {4294967295L, 3000000000L}, DType.UINT32);
        assertArrayEquals(new long[] {2147483647L, 1500000000L}, longs(u32.div(2)));
        assertArrayEquals(new long[] {1, 0}, longs(u32.mod(2)));
        assertArrayEquals(new long[] {4294967294L, 1705032704L}, longs(u32.mul(2))); // wraps mod 2^32
        assertArrayEquals(new long[] {0, 3000000001L}, longs(u32.add(1)));
        Tensor i8 = Tensors.convert(new int[] {127, -128, -7}, DType.INT8);
        assertArrayEquals(new long[] {-128, 127, -6}, longs(i8.add(Tensors.convert(new int[] {1, -1, 1}, DType.INT8))));
        assertArrayEquals(new long[] {-127, -128, 7}, longs(i8.div(-1))); // -128 / -1 wraps
        assertArrayEquals(new long[] {-43, 42, 2}, longs(i8.floorDiv(-3)));
        assertArrayEquals(new long[] {-2, -2, -1}, longs(i8.mod(-3)));
        assertArrayEquals(new long[] {10, 1, 1}, longs(i8.clip(1, 10)));
    }

    @Test
    void unaryIntegerFunctionsWrap() {
        Tensor i8 = Tensors.convert(new int[] {-128, -5, 0, 127}, DType.INT8);
        assertArrayEquals(new long[] {-128, 5, 0, -127}, longs(i8.neg()));
        assertArrayEquals(new long[] {-128, 5, 0, 127}, longs(i8.abs()));
        assertArrayEquals(new long[] {-1, -1, 0, 1}, longs(i8.sign()));
        assertArrayEquals(new long[] {0, 25, 0, 1}, longs(i8.square()));
        Tensor u16 = Tensors.convert(new int[] {0, 1, 65535, 300}, DType.UINT16);
        assertArrayEquals(new long[] {0, 65535, 1, 65236}, longs(u16.neg()));
        assertArrayEquals(new long[] {0, 1, 65535, 300}, longs(u16.abs()));
        assertArrayEquals(new long[] {0, 1, 1, 1}, longs(u16.sign()));
        assertArrayEquals(new long[] {0, 1, 1, 24464}, longs(u16.square())); // 90000 mod 65536
        Tensor u32 = Tensors.convert(new long[] {4294967295L, 0, 2}, DType.UINT32);
        assertArrayEquals(new long[] {1, 0, 4294967294L}, longs(u32.neg()));
        assertArrayEquals(new long[] {4294967295L, 0, 2}, longs(u32.abs()));
        assertArrayEquals(new long[] {1, 0, 1}, longs(u32.sign()));
        Tensor u64 = Tensors.convert(new long[] {-1, 0, Long.MIN_VALUE}, DType.UINT64);
        assertArrayEquals(new long[] {1, 0, Long.MIN_VALUE}, longs(u64.neg()));
        assertArrayEquals(new long[] {-1, 0, Long.MIN_VALUE}, longs(u64.abs()));
        assertArrayEquals(new long[] {1, 0, 1}, longs(u64.sign()));
        assertArrayEquals(new long[] {1, 0, 0}, longs(u64.square()));
        Tensor i16 = Tensors.of(new short[] {-32768, 200});
        assertArrayEquals(new long[] {-32768, -200}, longs(i16.neg()));
        assertArrayEquals(new long[] {0, -25536}, longs(i16.square())); // 40000 wraps
    }

    // ---------------------------------------------------------------- reductions, sorting

    @Test
    void reductionsMatchBigIntegerReference() {
        Random rnd = new Random(8);
        int[] dims = {2, 3, 4};
        int[][] axesCases = {{0}, {1}, {2}, {-1}, {0, 2}, {}, {0, 1, 2}};
        for (DType d : NEW) {
            long[] v = randomValues(d, rnd, 24);
            Tensor x = tensor(d, v, dims);
            for (int[] axes : axesCases) {
                for (Tensor in : List.of(x, Ops.transpose(tensor(d, transposed(v), 4, 3, 2), 2, 1, 0))) {
                    assertReduction(d, v, dims, axes, Ops.sum(in, axes), BigInteger::add, "Sum");
                    assertReduction(d, v, dims, axes, Ops.prod(in, axes), BigInteger::multiply, "Prod");
                    assertReduction(d, v, dims, axes, Ops.max(in, axes), BigInteger::max, "Max");
                    assertReduction(d, v, dims, axes, Ops.min(in, axes), BigInteger::min, "Min");
                    // Mean: the 64-bit sum (exact here except for uint64, which wraps past 2^64) divided by the
                    // count, truncated toward zero.
                    int count = 1;
                    for (int a = 0; a < 3; a++) if (reduced(axes, a)) count *= dims[a];
                    BigInteger n = BigInteger.valueOf(count);
                    assertReduction(d, v, dims, axes, Ops.mean(in, axes), null, "Mean", n);
                }
            }
            // Reducing nothing gives the identity; Max of nothing is the smallest value, Min the largest.
            Tensor empty = Ops.zeros(d, 0, 2);
            assertArrayEquals(new long[] {0, 0}, longs(Ops.sum(empty, 0)));
            assertArrayEquals(new long[] {1, 1}, longs(Ops.prod(empty, 0)));
            long lowest = d.isUnsigned() ? 0 : -(1L << (bits(d) - 1));
            long highest = d == DType.UINT64 ? -1 : d.isUnsigned() ? (1L << bits(d)) - 1 : (1L << (bits(d) - 1)) - 1;
            assertArrayEquals(new long[] {lowest, lowest}, longs(Ops.max(empty, 0)), d.toString());
            assertArrayEquals(new long[] {highest, highest}, longs(Ops.min(empty, 0)), d.toString());
            // argmax/argmin: first index of the extreme value, in the dtype's order
            Tensor rows = tensor(d, v, 6, 4);
            long[] amax = new long[6], amin = new long[6];
            for (int r = 0; r < 6; r++) {
                for (int c = 1; c < 4; c++) {
                    if (value(d, v[r * 4 + c]).compareTo(value(d, v[r * 4 + (int) amax[r]])) > 0) amax[r] = c;
                    if (value(d, v[r * 4 + c]).compareTo(value(d, v[r * 4 + (int) amin[r]])) < 0) amin[r] = c;
                }
            }
            assertArrayEquals(amax, longs(Ops.argmax(rows, 1)), "ArgMax " + d);
            assertArrayEquals(amin, longs(Ops.argmin(rows, -1)), "ArgMin " + d);
            long[] colMax = new long[4];
            for (int c = 0; c < 4; c++) {
                for (int r = 1; r < 6; r++) {
                    if (value(d, v[r * 4 + c]).compareTo(value(d, v[(int) colMax[c] * 4 + c])) > 0) colMax[c] = r;
                }
            }
            assertArrayEquals(colMax, longs(Ops.argmax(rows, 0)), "ArgMax axis 0 " + d);
            long[] cum = new long[24];
            BigInteger acc = BigInteger.ZERO;
            for (int i = 0; i < 24; i++) {
                acc = i % 4 == 0 ? value(d, v[i]) : acc.add(value(d, v[i]));
                cum[i] = wrap(d, acc);
            }
            assertArrayEquals(cum, longs(Ops.cumsum(rows, 1)), "Cumsum " + d);
        }
        // uint64 Mean divides the 64-bit sum as unsigned; like int64's, a sum past 2^64 wraps.
        assertEquals((1L << 62) + 1, Ops.mean(Tensors.convert(new long[] {Long.MIN_VALUE, 2}, DType.UINT64))
                .longValue());
        assertEquals(Long.divideUnsigned(-4, 2), Ops.mean(Tensors.convert(new long[] {-1, -3}, DType.UINT64))
                .longValue()); // (2^64 - 1 + 2^64 - 3) mod 2^64 = 2^64 - 4, halved
    }

    private static long[] transposed(long[] v) {
        long[] t = new long[24]; // v as [2, 3, 4] laid out as its [4, 3, 2] transpose
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) t[(k * 3 + j) * 2 + i] = v[(i * 3 + j) * 4 + k];
        return t;
    }

    private static boolean reduced(int[] axes, int a) {
        if (axes.length == 0) return true;
        for (int x : axes) if (x == a || x + 3 == a) return true;
        return false;
    }

    /**
     * Reduces [2, 3, 4] values over axes with f in BigInteger, wrapped to the dtype; with f null, the mean: the sum
     * (modulo 2^64 for uint64) divided by {@code count}, truncated toward zero.
     */
    private static long[] reduce(DType d, long[] v, int[] dims, int[] axes, BinaryOperator<BigInteger> f,
            BigInteger count) {
        int[] keep = new int[3];
        int n = 1;
        for (int a = 0; a < 3; a++) {
            keep[a] = reduced(axes, a) ? 1 : dims[a];
            n *= keep[a];
        }
        BigInteger[] acc = new BigInteger[n];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    int o = ((keep[0] == 1 ? 0 : i) * keep[1] + (keep[1] == 1 ? 0 : j)) * keep[2] + (keep[2] == 1 ? 0 : k);
                    BigInteger x = value(d, v[(i * 3 + j) * 4 + k]);
                    acc[o] = acc[o] == null ? x : f == null ? acc[o].add(x) : f.apply(acc[o], x);
                }
            }
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            BigInteger r = acc[i];
            if (f == null) r = (d == DType.UINT64 ? r.mod(TWO_64) : r).divide(count);
            out[i] = wrap(d, r);
        }
        return out;
    }

    private static void assertReduction(DType d, long[] v, int[] dims, int[] axes, Tensor out,
            BinaryOperator<BigInteger> f, String name) {
        assertReduction(d, v, dims, axes, out, f, name, null);
    }

    private static void assertReduction(DType d, long[] v, int[] dims, int[] axes, Tensor out,
            BinaryOperator<BigInteger> f, String name, BigInteger count) {
        assertEquals(d, out.dtype());
        assertArrayEquals(reduce(d, v, dims, axes, f, count), longs(out), name + " " + d + " " + Arrays.toString(axes));
    }

    @Test
    void sortOrdersByValue() {
        Random rnd = new Random(4);
        for (DType d : NEW) {
            for (int n : new int[] {7, 300}) { // a comparison sort and (32-bit keys) a radix sort
                long[] v = randomValues(d, rnd, 2 * n);
                Tensor x = tensor(d, v, 2, n);
                long[] want = new long[2 * n];
                int[] order = new int[2 * n];
                for (int r = 0; r < 2; r++) {
                    final int row = r;
                    Integer[] idx = new Integer[n];
                    for (int i = 0; i < n; i++) idx[i] = i;
                    Arrays.sort(idx, Comparator.comparing(i -> value(d, v[row * n + i]))); // stable
                    for (int i = 0; i < n; i++) {
                        want[r * n + i] = v[r * n + idx[i]];
                        order[r * n + i] = idx[i];
                    }
                }
                assertArrayEquals(want, longs(Ops.sort(x)), "Sort " + d);
                assertArrayEquals(order, Ops.argsort(x).toIntArray(), "Argsort " + d);
                long[] desc = longs(Ops.sort(x, -1, true));
                for (int r = 0; r < 2; r++) {
                    for (int i = 0; i < n; i++) assertEquals(want[r * n + n - 1 - i], desc[r * n + i], "descending " + d);
                }
                Tensor[] top = Ops.topK(x, 3);
                for (int r = 0; r < 2; r++) {
                    for (int i = 0; i < 3; i++) assertEquals(want[r * n + n - 1 - i], longs(top[0])[r * 3 + i], "TopK " + d);
                }
            }
        }
    }

    // ---------------------------------------------------------------- data movement

    @Test
    void dataMovementOpsKeepValuesForEveryNewDType() {
        Random rnd = new Random(6);
        for (DType d : NEW) {
            long[] v = randomValues(d, rnd, 6);
            Tensor x = tensor(d, v, 2, 3);
            String m = d.toString();
            assertArrayEquals(v, longs(Ops.reshape(x, 3, 2)), m);
            Tensor t = Ops.transpose(x);
            assertFalse(t.isDense());
            assertArrayEquals(new long[] {v[0], v[3], v[1], v[4], v[2], v[5]}, longs(t), m);
            assertArrayEquals(new long[] {v[0], v[3], v[1], v[4], v[2], v[5]}, longs(Ops.identity(t)), m);
            assertArrayEquals(new long[] {v[0], v[3], v[1], v[4], v[2], v[5]}, longs(t.dense()), m);
            assertEquals(Shape.of(3, 2), Ops.add(t, Ops.zeros(d, 3, 2)).shape());
            assertArrayEquals(longs(t), longs(Ops.add(t, Ops.zeros(d, 3, 2))), m);
            long[] cat = new long[12];
            System.arraycopy(v, 0, cat, 0, 6);
            System.arraycopy(v, 0, cat, 6, 6);
            assertArrayEquals(cat, longs(Ops.concat(0, x, x)), m);
            assertEquals(Shape.of(2, 2, 3), Ops.stack(0, x, x).shape());
            assertArrayEquals(cat, longs(Ops.stack(0, x, x)), m);
            Tensor[] parts = Ops.split(x, 3, 1);
            assertArrayEquals(new long[] {v[1], v[4]}, longs(parts[1]), m);
            assertArrayEquals(new long[] {v[1], v[2]}, longs(Ops.slice(x, new int[] {0, 1}, new int[] {1, 2})), m);
            assertArrayEquals(new long[] {v[2], v[0]}, longs(Ops.stridedSlice(x, new int[] {0, 2}, new int[] {1, -4},
                    new int[] {1, -2})), m);
            assertArrayEquals(new long[] {v[3], v[4], v[5], v[0], v[1], v[2]}, longs(Ops.gather(x,
                    Tensors.of(new int[] {1, 0}))), m);
            assertArrayEquals(new long[] {v[5], v[1]}, longs(Ops.gatherNd(x, Tensors.of(new int[][] {{1, 2}, {0, 1}}))),
                    m);
            assertArrayEquals(new long[] {v[0], v[1], v[2], v[0], v[1], v[2]}, longs(Ops.tile(Ops.slice(x,
                    new int[] {0, 0}, new int[] {1, 3}), 2, 1)), m);
            assertArrayEquals(new long[] {7, v[0], v[1], v[2], 7, 7, v[3], v[4], v[5], 7}, longs(Ops.pad(x,
                    new int[][] {{0, 0}, {1, 1}}, "CONSTANT", 7)), m);
            assertArrayEquals(new long[] {v[3], v[4], v[5], v[3], v[4], v[5]}, longs(Ops.broadcastTo(Ops.slice(x,
                    new int[] {1, 0}, new int[] {1, 3}), 2, 3)), m);
            assertEquals(Shape.of(2, 1, 3), Ops.expandDims(x, 1).shape());
            assertArrayEquals(v, longs(Ops.squeeze(Ops.expandDims(x, -1))), m);
            Tensor y = Ops.reshape(Tensors.convert(new long[] {1, 2, 3}, d), 3);
            Tensor where = Ops.where(Tensors.of(new boolean[] {true, false, true}), x, y);
            assertArrayEquals(new long[] {v[0], 2, v[2], v[3], 2, v[5]}, longs(where), m);
            assertEquals(d, where.dtype());
            Tensor hot = Ops.oneHot(Tensors.convert(new int[] {2, 0}, d), 3, 5, 0, -1, d);
            assertEquals(d, hot.dtype());
            assertArrayEquals(new long[] {0, 0, 5, 5, 0, 0}, longs(hot), m);
            assertArrayEquals(new long[] {0, 1, 0, 0, 0, 0}, longs(Ops.oneHot(Tensors.convert(new int[] {1}, DType.INT8), 6,
                    1, 0, -1, d).transpose().reshape(6)), m);
        }
    }

    /** An element of the result from the flat positions of its two operands. */
    @FunctionalInterface
    interface Pair { long at(int i, int j); }

    /** {@code f} at every output element, with NumPy broadcasting of a (shape sa) and b (shape sb) to so. */
    private static long[] reference(int[] so, int[] sa, int[] sb, Pair f) {
        int n = 1;
        for (int d : so) n *= d;
        long[] out = new long[n];
        int[] index = new int[so.length];
        for (int flat = 0; flat < n; flat++) {
            int rem = flat;
            for (int k = so.length - 1; k >= 0; k--) {
                index[k] = rem % so[k];
                rem /= so[k];
            }
            out[flat] = f.at(MathTesting.position(index, sa), MathTesting.position(index, sb));
        }
        return out;
    }
}
