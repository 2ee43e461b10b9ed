package org.nabla.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.graph.Graph;
import org.nabla.runtime.Session;

/**
 * Diagnostics go through the JDK's System.Logger (docs/configuration.md, "Logging"): with no backend installed it is
 * java.util.logging, so a handler on "org.nabla.runtime" at FINE sees each plan a session compiles. (Here, not in
 * nabla-core: core's tests compile inside its module, which does not read java.logging.)
 */
class LoggingDocTest {
    @Test
    void aCompiledPlanIsLoggedAtDebugUnderOrgNablaRuntime() {
        Logger logger = Logger.getLogger("org.nabla.runtime");
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override public void publish(LogRecord r) { records.add(r); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        Level before = logger.getLevel();
        logger.setLevel(Level.FINE);
        logger.addHandler(handler);
        try {
            Graph g = new Graph();
            Tensor x, y;
            try (var scope = g.asDefault()) {
                x = g.placeholder("x", DType.FLOAT32, Shape.of(2));
                y = Ops.mul(x, 2f);
            }
            try (Session s = new Session(g)) {
                s.runner().feed(x, new float[] {1, 2}).fetch(y).run();
            }
        } finally {
            logger.removeHandler(handler);
            logger.setLevel(before);
        }
        assertTrue(records.stream().anyMatch(r -> r.getLevel() == Level.FINE
                && r.getMessage().startsWith("plan: ") && r.getMessage().contains("partition(s)")),
                "no plan record at FINE: " + records.stream().map(LogRecord::getMessage).toList());
    }
}
