package org.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

class DatasetTest {
    private static List<Long> longs(Dataset<Long> d) { return d.toList(); }

    private static List<Long> seq(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i < to; i++) out.add(i);
        return out;
    }

    @Test
    void rangeTakeSkipRepeat() {
        assertEquals(seq(0, 5), longs(Dataset.range(5)));
        assertEquals(List.of(2L, 5L, 8L), longs(Dataset.range(2, 10, 3)));
        assertEquals(List.of(5L, 3L, 1L), longs(Dataset.range(5, 0, -2)));
        assertEquals(List.of(), longs(Dataset.range(3, 3)));
        assertEquals(3, Dataset.range(2, 10, 3).cardinality());
        assertEquals(seq(0, 3), longs(Dataset.range(10).take(3)));
        assertEquals(seq(7, 10), longs(Dataset.range(10).skip(7)));
        assertEquals(List.of(), longs(Dataset.range(3).skip(5)));
        assertEquals(List.of(0L, 1L, 0L, 1L, 0L, 1L), longs(Dataset.range(2).repeat(3)));
        assertEquals(6, Dataset.range(2).repeat(3).cardinality());
        assertEquals(List.of(0L, 1L, 0L, 1L, 0L), longs(Dataset.range(2).repeat().take(5)));
        assertEquals(Dataset.INFINITE, Dataset.range(2).repeat().cardinality());
        assertEquals(List.of(), longs(Dataset.range(0).repeat())); // empty stays empty, no infinite loop
        assertEquals(List.of(), longs(Dataset.range(4).repeat(0)));
        assertThrows(IllegalArgumentException.class, () -> Dataset.range(0, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> Dataset.range(5).take(-1));
    }

    @Test
    void mapFilterAndCardinality() {
        Dataset<Long> d = Dataset.range(10).map(x -> x * x).filter(x -> x % 2 == 0);
        assertEquals(List.of(0L, 4L, 16L, 36L, 64L), d.toList());
        assertEquals(Dataset.UNKNOWN, d.cardinality());
        assertEquals(5, d.count());
        assertTrue(d.toString().contains("range(0, 10, 1).map().filter()"), d.toString());
    }

    @Test
    void iterableAndGeneratorSources() {
        assertEquals(List.of("a", "b"), Dataset.fromIterable(List.of("a", "b")).toList());
        assertEquals(2, Dataset.fromIterable(List.of("a", "b")).cardinality());
        AtomicInteger calls = new AtomicInteger();
        Dataset<Integer> g = Dataset.fromGenerator(() -> {
            calls.incrementAndGet();
            return List.of(1, 2, 3).iterator();
        });
        assertEquals(List.of(1, 2, 3, 1, 2, 3), g.repeat(2).toList());
        assertEquals(2, calls.get());
    }

    @Test
    void tensorSlicesAreViewsOfRows() {
        Tensor x = Tensors.of(new float[] {0, 1, 2, 3, 4, 5}, 3, 2);
        Tensor y = Tensors.of(new int[] {7, 8, 9}, 3);
        List<Tensor[]> rows = Dataset.fromTensorSlices(x, y).toList();
        assertEquals(3, rows.size());
        assertEquals(Shape.of(2), rows.get(1)[0].shape());
        assertArrayEquals(new float[] {2, 3}, rows.get(1)[0].toFloatArray());
        assertEquals(Shape.SCALAR, rows.get(2)[1].shape());
        assertEquals(9, rows.get(2)[1].intValue());
        assertArrayEquals(new float[] {4, 5}, Dataset.fromTensorSlices(x).toList().get(2).toFloatArray());
        // a transposed (strided) input slices correctly too
        Tensor t = Tensor.view(x, Shape.of(2, 3), 0, new int[] {1, 2}); // x transposed, strided
        List<Tensor> cols = Dataset.fromTensorSlices(t).toList();
        assertArrayEquals(new float[] {1, 3, 5}, cols.get(1).toFloatArray());
        assertEquals(1, Dataset.fromTensors(x, y).toList().size());
        assertEquals(x, Dataset.fromTensor(x).toList().get(0));
    }

    @Test
    void sliceErrorsNameTheShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Dataset.fromTensorSlices(
                Tensors.of(new float[6], 3, 2), Tensors.of(new int[4], 4)));
        assertEquals("fromTensorSlices: all tensors must have the same size along axis 0, but tensor 0 has shape "
                + "(3, 2) and tensor 1 has (4,)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dataset.fromTensorSlices(Tensors.scalar(1f)));
        assertTrue(e.getMessage().contains("scalar"), e.getMessage());
    }

    @Test
    void batchStacksAlongANewAxis() {
        float[] xs = new float[5 * 2 * 3];
        for (int i = 0; i < xs.length; i++) xs[i] = i;
        Tensor x = Tensors.of(xs, 5, 2, 3);
        Tensor y = Tensors.of(new long[] {10, 11, 12, 13, 14}, 5);
        List<Tensor[]> batches = Dataset.fromTensorSlices(x, y).batch(2).toList();
        assertEquals(3, batches.size());
        assertEquals(Shape.of(2, 2, 3), batches.get(0)[0].shape());
        assertEquals(Shape.of(1, 2, 3), batches.get(2)[0].shape());
        assertEquals(DType.INT64, batches.get(1)[1].dtype());
        assertArrayEquals(new long[] {12, 13}, batches.get(1)[1].toLongArray());
        float[] expect = new float[12];
        for (int i = 0; i < 12; i++) expect[i] = 12 + i;
        assertArrayEquals(expect, batches.get(1)[0].toFloatArray());
        assertEquals(2, Dataset.fromTensorSlices(x, y).batch(2, true).toList().size());
        assertEquals(2, Dataset.fromTensorSlices(x, y).batch(2, true).cardinality());
        assertEquals(3, Dataset.fromTensorSlices(x, y).batch(2).cardinality());
        // scalars batch to a vector; uint8 and bool keep their dtype
        Tensor u = Tensor.wrap(DType.UINT8, Shape.of(3), new byte[] {(byte) 200, 1, 2});
        Tensor b = Dataset.fromTensorSlices(u).batch(3).toList().get(0);
        assertEquals(DType.UINT8, b.dtype());
        assertEquals(200, b.getDouble(0), 0);
        // a custom collate function
        assertEquals(List.of(1L, 5L), Dataset.range(4).batch(2, false, l -> l.get(0) + l.get(1)).toList());
    }

    @Test
    void batchOfStridedElementsCopiesTheRightValues() {
        Tensor x = Tensor.view(Tensors.of(new float[] {0, 1, 2, 3, 4, 5}, 2, 3), Shape.of(3, 2), 0, new int[] {1, 3});
        assertFalse(x.isDense());
        Tensor batch = Dataset.fromTensorSlices(x).batch(3).toList().get(0);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, batch.toFloatArray());
    }

    @Test
    void batchErrorsAreClear() {
        Dataset<Tensor> mixed = Dataset.fromIterable(List.of(Tensors.of(new float[2], 2), Tensors.of(new float[3], 3)));
        var e = assertThrows(IllegalArgumentException.class, () -> mixed.batch(2).toList());
        assertEquals("batch: element 1 is float32 (3,) but element 0 is float32 (2,); stacked elements need the same "
                + "dtype and shape (map them to one shape first)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dataset.range(3).batch(2).toList());
        assertTrue(e.getMessage().startsWith("batch: can stack Tensor or Tensor[] elements, got a java.lang.Long"),
                e.getMessage());
    }

    @Test
    void shuffleIsAPermutationDeterministicGivenTheSeed() {
        List<Long> a = Dataset.range(100).shuffle(100, 42).toList();
        List<Long> b = Dataset.range(100).shuffle(100, 42).toList();
        assertEquals(a, b);
        assertNotEquals(seq(0, 100), a);
        assertEquals(new HashSet<>(seq(0, 100)), new HashSet<>(a));
        assertNotEquals(a, Dataset.range(100).shuffle(100, 43).toList());
        // reshuffled each pass, but pass k is the same in every run
        Dataset<Long> d = Dataset.range(50).shuffle(50, 7);
        List<Long> p0 = d.toList(), p1 = d.toList();
        assertNotEquals(p0, p1);
        Dataset<Long> again = Dataset.range(50).shuffle(50, 7);
        assertEquals(p0, again.toList());
        assertEquals(p1, again.toList());
        Dataset<Long> fixed = Dataset.range(50).shuffle(50, 7, false);
        assertEquals(fixed.toList(), fixed.toList());
        // repeat() after shuffle reshuffles each epoch
        List<Long> twoEpochs = Dataset.range(20).shuffle(20, 1).repeat(2).toList();
        assertNotEquals(twoEpochs.subList(0, 20), twoEpochs.subList(20, 40));
        // a small buffer only moves elements locally: element i comes out at or after position i - buffer + 1
        List<Long> local = Dataset.range(1000).shuffle(4, 3).toList();
        for (int pos = 0; pos < local.size(); pos++) assertTrue(local.get(pos) <= pos + 3, "pos " + pos);
    }

    @Test
    void shuffleIsRoughlyUniform() {
        // the first output of a full-buffer shuffle of 4 elements, over 4000 seeds: each value about 1000 times
        int[] counts = new int[4];
        for (int s = 0; s < 4000; s++) counts[(int) (long) Dataset.range(4).shuffle(4, s).toList().get(0)]++;
        for (int c : counts) assertTrue(c > 850 && c < 1150, java.util.Arrays.toString(counts));
    }

    @Test
    void cacheComputesOncePerCompletePass() {
        AtomicInteger calls = new AtomicInteger();
        Dataset<Long> d = Dataset.range(5).map(x -> {
            calls.incrementAndGet();
            return x + 1;
        }).cache();
        try (DatasetIterator<Long> it = d.iterator()) {
            it.next(); // an incomplete pass caches nothing
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), d.toList());
        int after = calls.get();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), d.toList());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 1L, 2L, 3L, 4L, 5L), d.repeat(2).toList());
        assertEquals(after, calls.get());
        assertThrows(IllegalArgumentException.class, () -> Dataset.range(2).repeat().cache());
    }

    @Test
    void cachedTensorsOutliveTheScopeOfTheirFirstPass() {
        Tensor ones = org.nabla.Ops.ones(DType.FLOAT32, 64, 64); // 16 KB: big enough for a scope to pool
        Dataset<Tensor> d = Dataset.range(3).map(i -> org.nabla.Ops.mul(ones, (float) (long) i)).cache();
        try (org.nabla.TensorScope scope = org.nabla.TensorScope.open()) {
            assertEquals(3, d.toList().size());
        }
        List<Tensor> replay = d.toList();
        for (int i = 0; i < 3; i++) {
            assertFalse(replay.get(i).isReleased());
            assertEquals(64 * 64 * i, org.nabla.Ops.sum(replay.get(i)).floatValue(), 0);
        }
    }

    @Test
    void iteratorContract() {
        DatasetIterator<Long> it = Dataset.range(2).iterator();
        assertTrue(it.hasNext());
        assertEquals(0L, it.next());
        it.close();
        assertFalse(it.hasNext());
        assertThrows(java.util.NoSuchElementException.class, it::next);
        it.close(); // idempotent
        var e = assertThrows(DatasetException.class, () -> Dataset.range(2).map(x -> (Long) null).toList());
        assertTrue(e.getMessage().contains("null"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Dataset.range(2).repeat().toList());
    }

    @Test
    void trainingPipelineShape() {
        // the usual (x, y) pipeline: shuffle, batch, repeat, prefetch
        Tensor x = Tensors.of(new float[10 * 4], 10, 4);
        Tensor y = Tensors.of(new int[10], 10);
        Dataset<Tensor[]> train = Dataset.fromTensorSlices(x, y).shuffle(10, 1).batch(4, true).repeat(2).prefetch(2);
        assertEquals(4, train.cardinality());
        int n = 0;
        for (Tensor[] batch : train) {
            assertEquals(Shape.of(4, 4), batch[0].shape());
            assertEquals(Shape.of(4), batch[1].shape());
            n++;
        }
        assertEquals(4, n);
    }
}
