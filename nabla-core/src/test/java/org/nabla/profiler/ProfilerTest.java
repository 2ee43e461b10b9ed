package org.nabla.profiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.TracedFunction;
import org.nabla.io.Json;

class ProfilerTest {
    @AfterEach
    void stopIfRecording() {
        if (Profiler.isRecording()) Profiler.stop();
    }

    @Test
    void eagerOpsAreRecordedWithShapesAndBytes() {
        Tensor a = Tensors.of(new float[] {1, 2, 3, 4}, 2, 2);
        Ops.matmul(a, a);   // warm: kernels registered before recording
        Profiler.start();
        Tensor c = Ops.matmul(a, a);
        Ops.add(c, 1f);
        Profile p = Profiler.stop();
        List<String> ops = p.events().stream().map(ProfileEvent::op).toList();
        assertTrue(ops.contains("MatMul") && ops.contains("Add"), ops.toString());
        ProfileEvent mm = p.events().stream().filter(e -> e.op().equals("MatMul")).findFirst().orElseThrow();
        assertEquals(null, mm.node());
        assertEquals(16, mm.outputBytes());
        assertTrue(mm.inputs().contains("(2, 2)") && mm.outputs().startsWith("float32"), mm.inputs());
        assertEquals(Thread.currentThread().getName(), mm.thread());
        assertTrue(p.summary(10).contains("MatMul"), p.summary(10));
        assertFalse(Profiler.isRecording());
        Ops.add(c, 1f);   // not recorded any more
        assertEquals(ops.size(), p.events().size());
    }

    @Test
    void graphNodesNestInsideTheirLoopAndTheTraceIsValidJson(@TempDir Path dir) throws Exception {
        TracedFunction f = TracedFunction.of(in -> new Tensor[] {Ops.whileLoop(v -> v[0].less(5),
                v -> new Tensor[] {v[0].add(1), Ops.tanh(Ops.matmul(v[1], v[1]))}, new Tensor[] {Tensors.scalar(0), in[0]})[1]});
        Tensor x = Tensors.of(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, 2, 2);
        f.call(x);
        Profiler.start();
        f.call(x);
        Profile p = Profiler.stop();
        List<ProfileEvent> nodes = p.events().stream().filter(e -> e.node() != null).toList();
        assertTrue(nodes.stream().anyMatch(e -> e.op().equals("While")), nodes.toString());
        assertEquals(5, nodes.stream().filter(e -> e.op().equals("MatMul")).count());
        // per thread, two calls are disjoint or one contains the other (a body's nodes inside their While)
        for (ProfileEvent a : p.events()) {
            for (ProfileEvent b : p.events()) {
                if (a == b || !a.thread().equals(b.thread())) continue;
                boolean disjoint = a.endNanos() <= b.startNanos() || b.endNanos() <= a.startNanos();
                boolean nested = a.startNanos() <= b.startNanos() && b.endNanos() <= a.endNanos()
                        || b.startNanos() <= a.startNanos() && a.endNanos() <= b.endNanos();
                assertTrue(disjoint || nested, a + " overlaps " + b);
            }
        }
        Map<ProfileEvent, Long> self = p.selfNanos();
        ProfileEvent loop = nodes.stream().filter(e -> e.op().equals("While")).findFirst().orElseThrow();
        assertTrue(self.get(loop) < loop.durationNanos() && self.get(loop) >= 0, "the body's time is not the loop's own");
        Path file = dir.resolve("trace.json");
        p.writeChromeTrace(file);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(file));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) json.get("traceEvents");
        List<String> names = new ArrayList<>();
        for (Map<String, Object> e : events) {
            if (e.get("ph").equals("X")) {
                names.add((String) ((Map<String, Object>) e.get("args")).get("op"));
                assertTrue(((Number) e.get("dur")).doubleValue() >= 0);
            }
        }
        assertTrue(names.contains("While") && names.contains("Tanh"), names.toString());
        assertTrue(events.stream().anyMatch(e -> e.get("ph").equals("M")), "thread names");
    }

    @Test
    void startAndStopMustPair() {
        assertThrows(IllegalStateException.class, Profiler::stop);
        Profiler.start();
        assertThrows(IllegalStateException.class, Profiler::start);
        Profiler.stop();
    }
}
