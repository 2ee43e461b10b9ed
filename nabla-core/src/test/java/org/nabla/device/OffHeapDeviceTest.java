package org.nabla.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.autodiff.GradientTape;
import org.nabla.autodiff.Gradients;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.ops.TransferOps;
import org.nabla.runtime.Session;
import org.nabla.runtime.SessionOptions;

/**
 * The device seam, proven with a second device type that exists only in tests ({@link OffHeapDevice}: tensors in
 * off-heap memory, kernels that go through the host). Eager ops, placement across both device types with Send/Recv
 * between them, and gradients (tape and symbolic) must give the CPU's results, with values really living on the
 * device.
 */
class OffHeapDeviceTest {
    private static final Device DEV = OffHeapDevice.INSTANCE;

    private static Tensor x() {
        return Tensors.of(new float[][] {{1, -2, 3}, {-4, 5, -6}});
    }

    private static Tensor w() {
        return Tensors.of(new float[][] {{0.5f, -1}, {2, 0.25f}, {-1.5f, 1}});
    }

    @Test
    void toCopiesEveryDTypeAndBack() {
        for (DType d : DType.values()) {
            if (d == DType.STRING) continue; // no numeric cast; the test device holds fixed-size elements only
            if (d.isComplex()) continue; // complex tensors stay on the heap (the test device has no layout for them)
            Tensor host = Ops.cast(Tensors.of(new double[] {0, 1, 2, 3, 4, 5}), d).reshape(2, 3);
            Tensor there = host.to(DEV);
            assertSame(DEV, there.device());
            assertInstanceOf(MemorySegment.class, there.data(), d.toString());
            Tensor back = there.to(CpuDevice.INSTANCE);
            assertTrue(back.device().sharesHostMemory());
            assertArrayEquals(host.toDoubleArray(), back.toDoubleArray(), d.toString());
            assertArrayEquals(host.toDoubleArray(), there.toDoubleArray(), "reads copy to the host: " + d);
        }
        Tensor view = x().transpose(); // a strided host view goes over dense
        assertArrayEquals(view.toFloatArray(), view.to(DEV).toFloatArray());
        assertSame(x().device(), CpuDevice.INSTANCE);
        Tensor onCpu = x();
        assertSame(onCpu, onCpu.to(CpuDevice.of(1)), "CPU devices share the heap: no copy");
        assertEquals(x().toString(), x().to(DEV).toString());
    }

    @Test
    void eagerOpsRunOnTheDeviceAndGiveTheCpuResults() {
        Tensor xd = x().to(DEV);
        Tensor wd = w().to(DEV);
        Tensor expected = Ops.softmax(Ops.relu(Ops.matmul(x(), w())), -1);
        Tensor got = Ops.softmax(Ops.relu(Ops.matmul(xd, wd)), -1);
        assertSame(DEV, got.device());
        assertInstanceOf(MemorySegment.class, got.data());
        assertArrayEquals(expected.toFloatArray(), got.toFloatArray(), 0f);
        assertArrayEquals(Ops.sum(x(), 1).toFloatArray(), Ops.sum(xd, 1).toFloatArray(), 0f);
        assertArrayEquals(Ops.argmax(x(), 1).toLongArray(), Ops.argmax(xd, 1).toLongArray());
        assertArrayEquals(x().transpose().toFloatArray(), xd.transpose().toFloatArray(), 0f);
    }

    @Test
    void hostInputsOfADeviceOpAreCopiedToTheDevice() {
        Tensor got = Ops.add(x().to(DEV), 1f); // the scalar 1 is made on the CPU
        assertSame(DEV, got.device());
        assertArrayEquals(Ops.add(x(), 1f).toFloatArray(), got.toFloatArray(), 0f);
    }

    @Test
    void tapeGradientsOnTheDeviceMatchTheCpu() {
        Tensor[] cpu = tapeGradients(x(), w());
        Tensor[] dev = tapeGradients(x().to(DEV), w().to(DEV));
        for (int i = 0; i < cpu.length; i++) {
            assertSame(DEV, dev[i].device());
            assertArrayEquals(cpu[i].toFloatArray(), dev[i].toFloatArray(), 1e-6f);
        }
    }

    private static Tensor[] tapeGradients(Tensor x, Tensor w) {
        try (GradientTape tape = GradientTape.start()) {
            tape.watch(x);
            tape.watch(w);
            Tensor loss = Ops.mean(Ops.square(Ops.tanh(Ops.matmul(x, w))));
            return tape.gradient(loss, x, w);
        }
    }

    @Test
    void placementAcrossBothDeviceTypesExchangesValuesThroughSendAndRecv() {
        Graph g = new Graph();
        Tensor px;
        Tensor y;
        Tensor dx;
        try (var scope = g.asDefault()) {
            px = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 3));
            Tensor h;
            try (var d = g.device("/device:OFFHEAP:0")) {
                h = Ops.tanh(Ops.matmul(px, Ops.constant(w())));
            }
            try (var c = g.device("/device:CPU:0")) {
                y = Ops.mean(Ops.square(h)); // back on the CPU
            }
            dx = Gradients.gradients(y, px).get(0); // the backward ops follow their inputs' devices
        }
        SessionOptions options = SessionOptions.defaults().addDevice(DEV);
        try (Session s = new Session(g, options); Session cpuOnly = new Session(g)) {
            // the device scope must be honoured: a CPU-only session cannot place the OFFHEAP nodes
            assertThrows(IllegalArgumentException.class, () -> cpuOnly.run(List.of(y), Map.of(px, x())));
            Session.Result r = s.runWithMetadata(List.of(y, dx), Map.of(px, x()), List.of());
            Tensor[] expected = cpuReference();
            assertArrayEquals(expected[0].toFloatArray(), r.get(0).toFloatArray(), 1e-6f);
            assertArrayEquals(expected[1].toFloatArray(), r.get(1).toFloatArray(), 1e-6f);
            boolean sendsToDevice = false;
            boolean sendsBack = false;
            for (Graph part : r.metadata().partitionGraphs()) {
                for (Node n : part.nodes()) {
                    if (n.op() != TransferOps.SEND) continue;
                    String to = n.attrs().getString("recvDevice");
                    String from = n.attrs().getString("sendDevice");
                    sendsToDevice |= to.contains("OFFHEAP") && from.contains("CPU");
                    sendsBack |= to.contains("CPU") && from.contains("OFFHEAP");
                }
            }
            assertTrue(sendsToDevice && sendsBack, "values cross between CPU and OFFHEAP partitions both ways");
        }
    }

    private static Tensor[] cpuReference() {
        try (GradientTape tape = GradientTape.start()) {
            Tensor xv = x();
            tape.watch(xv);
            Tensor y = Ops.mean(Ops.square(Ops.tanh(Ops.matmul(xv, w()))));
            return new Tensor[] {y, tape.gradient(y, xv)};
        }
    }

    @Test
    void aFetchedDeviceValueIsOnTheDevice() {
        Graph g = new Graph();
        Tensor px;
        Tensor y;
        try (var scope = g.asDefault()) {
            px = g.placeholder("x", DType.FLOAT32, Shape.of(2, 3));
            try (var d = g.device("/device:OFFHEAP:0")) {
                y = Ops.relu(px); // the fed host value is copied to the device partition
            }
        }
        try (Session s = new Session(g, SessionOptions.defaults().addDevice(DEV))) {
            Tensor out = s.run(List.of(y), Map.of(px, x())).get(0);
            assertSame(DEV, out.device());
            assertArrayEquals(Ops.relu(x()).toFloatArray(), out.toFloatArray(), 0f);
        }
    }

    @Test
    void variablesAndLoopsRunInsideTheSessionsRunOnTheDevice() {
        Graph g = new Graph();
        Tensor result;
        Tensor update;
        org.nabla.Variable v;
        try (var scope = g.asDefault()) {
            v = org.nabla.runtime.Variables.create(g, "v", Tensors.of(new float[] {1, 2}));
            try (var d = g.device("/device:OFFHEAP:0")) {
                Tensor start = v.read();
                // a While on the device: its kernel calls the body function within the session's run
                result = Ops.whileLoop(vs -> Ops.less(Ops.sum(vs[0]), 100f),
                        vs -> new Tensor[] {Ops.mul(vs[0], 2f)}, new Tensor[] {start})[0];
                update = v.assignAdd(result);
            }
        }
        try (Session s = new Session(g, SessionOptions.defaults().addDevice(DEV))) {
            s.runner().addTarget(org.nabla.runtime.Variables.globalVariablesInitializer(g)).run();
            Tensor out = s.run(List.of(result, update), Map.of()).get(0);
            assertSame(DEV, out.device());
            assertArrayEquals(new float[] {64, 128}, out.toFloatArray(), 0f);
            assertArrayEquals(new float[] {65, 130}, s.resources().read(v.name()).toFloatArray(), 0f);
        }
    }
}
