package org.nabla.distributed;

import org.nabla.distributed.strategy.ParameterServerStrategy;
import org.nabla.distributed.strategy.ParameterServerStrategy.Mode;
import org.nabla.distributed.strategy.VariablePlacement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.TensorScope;
import org.nabla.Variable;
import org.nabla.autodiff.GradientTape;
import org.nabla.nn.Sequential;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.losses.Loss;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.optimizers.Adam;
import org.nabla.nn.optimizers.SGD;

/**
 * Parameter-server training ({@link ParameterServerStrategy}): SYNC replicas end with the weights of one process
 * training on the global batches (custom loop and {@code Model.fit}, in one JVM and in four: chief, two workers, ps);
 * ASYNC replicas lower the loss and every push is applied; placement; errors naming the ps task.
 */
@Timeout(120)
class ParameterServerTrainingTest {
    private static final float TOLERANCE = 1e-5f;
    private static final DistributedOptions OPTIONS = DistributedOptions.defaults().rpcTimeout(Duration.ofSeconds(5))
            .stepTimeout(Duration.ofSeconds(30));
    private static final ExecutorService POOL = Executors.newCachedThreadPool();

    @AfterAll
    static void stopPool() { POOL.shutdownNow(); }

    private static void assertSameWeights(List<float[]> expected, List<float[]> actual, String who) {
        assertEquals(expected.size(), actual.size(), who);
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), actual.get(i), TOLERANCE, who);
    }

    /** Runs {@code body(r)} for every replica at once (each is one training loop) and returns the results. */
    private static <T> List<T> onReplicas(int n, java.util.function.IntFunction<Callable<T>> body) throws Exception {
        List<Future<T>> fs = new ArrayList<>();
        for (int r = 0; r < n; r++) fs.add(POOL.submit(body.apply(r)));
        List<T> out = new ArrayList<>();
        for (Future<T> f : fs) out.add(f.get(60, TimeUnit.SECONDS));
        return out;
    }

    /** The replicas of a cluster with a chief: the chief, then the workers. */
    private static Server replica(Cluster c, int r) { return r == 0 ? c.server("chief", 0) : c.server("worker", r - 1); }

    @Test
    void synchronousReplicasMatchOneProcessOnTheGlobalBatch() throws Exception {
        List<float[]> expected = PsTraining.train(null);
        List<float[]> expectedFit = PsTraining.fit(null);
        try (Cluster c = new Cluster(Map.of("chief", 1, "worker", 2, "ps", 2), OPTIONS)) {
            List<List<float[]>> loops = onReplicas(3, r -> () -> PsTraining.train(
                    ParameterServerStrategy.of(replica(c, r), Mode.SYNCHRONOUS).withGroup("loop")));
            for (int r = 0; r < 3; r++) assertSameWeights(expected, loops.get(r), "custom loop, replica " + r);
            // 4 variables round-robin over 2 ps tasks; each ps applied one update per step (5 batches x 2 epochs)
            assertEquals(List.of("dense/kernel", "dense_1/kernel"), c.server("ps", 0).parameterService().variables("loop"));
            assertEquals(List.of("dense/bias", "dense_1/bias"), c.server("ps", 1).parameterService().variables("loop"));
            assertEquals(10, c.server("ps", 1).parameterService().version("loop"));

            List<List<float[]>> fits = onReplicas(3, r -> () -> PsTraining.fit(
                    ParameterServerStrategy.of(replica(c, r), Mode.SYNCHRONOUS).withGroup("fit")));
            for (int r = 0; r < 3; r++) assertSameWeights(expectedFit, fits.get(r), "fit, replica " + r);
        }
    }

    @Test
    void variablesTravelInSeveralMessagesUnderTheSizeLimit() throws Exception {
        // messages of at most 2 KiB: gradients and values go in batches of at most 1 KiB of elements
        DistributedOptions small = OPTIONS.chunkBytes(1024).maxMessageBytes(2048);
        List<float[]> expected = PsTraining.train(null, 64);
        try (Cluster c = new Cluster(Map.of("worker", 2, "ps", 1), small)) {
            List<List<float[]>> got = onReplicas(2, r -> () -> PsTraining.train(
                    ParameterServerStrategy.of(c.server("worker", r), Mode.SYNCHRONOUS), 64));
            for (int r = 0; r < 2; r++) assertSameWeights(expected, got.get(r), "replica " + r);
            // kernel 4x64 (1024 bytes) | bias 64 (256) + kernel 64x3 (768) | bias 3: three messages a step
            var service = c.server("ps", 0).parameterService();
            assertArrayEquals(new long[] {30, 30}, service.pushes("default"));
            assertEquals(10, service.version("default"));

            Sequential big = new Sequential(new Dense(300), new Dense(3));
            big.input(4);
            var e = assertThrows(IllegalArgumentException.class, () -> ParameterServerStrategy.of(c.server("worker", 0),
                    Mode.SYNCHRONOUS).withGroup("big").pull(big.trainableWeights()));
            assertTrue(e.getMessage().contains("'dense/kernel' is 4800 bytes"), e.getMessage());
        }
    }

    @Test
    void asynchronousReplicasLowerTheLossAndEveryPushIsApplied() throws Exception {
        int steps = 12;
        try (Cluster c = new Cluster(Map.of("worker", 2, "ps", 1), OPTIONS)) {
            double before = loss(PsTraining.model().trainableWeights());
            List<List<float[]>> finals = onReplicas(2, r -> () -> {
                ParameterServerStrategy s = ParameterServerStrategy.of(c.server("worker", r), Mode.ASYNCHRONOUS);
                Sequential m = PsTraining.model();
                SGD opt = new SGD(0.1);
                Loss loss = Losses.sparseCategoricalCrossentropy(true);
                List<Variable> vars = m.trainableWeights();
                Tensor[] mine = s.shard(PsTraining.X, PsTraining.Y);  // each replica its half of the data
                for (int i = 0; i < steps; i++) {
                    try (TensorScope scope = TensorScope.open()) {
                        s.pull(vars);
                        List<Tensor> grads;
                        try (GradientTape tape = new GradientTape()) {
                            grads = tape.gradient(loss.call(mine[1], m.call(new Tensor[] {mine[0]}, true)[0]), vars);
                        }
                        s.push(opt, grads, vars, mine[0].shape().dim(0));
                    }
                }
                assertEquals(steps, s.step());
                assertEquals(steps, opt.step(), "the local optimizer counts the pushes");
                s.pull(vars);
                return PsTraining.weights(vars);
            });
            var service = c.server("ps", 0).parameterService();
            // one message per step per replica, each applied on arrival: version counts them all
            assertArrayEquals(new long[] {steps, steps}, service.pushes("default"));
            assertEquals(2L * steps, service.version("default"));
            Sequential m = PsTraining.model();
            List<Variable> vars = m.trainableWeights();
            for (int i = 0; i < vars.size(); i++) vars.get(i).assign(Tensor.wrap(DType.FLOAT32, vars.get(i).shape(), finals.get(1).get(i)));
            double after = loss(vars);
            assertTrue(after < before * 0.85, "loss " + before + " -> " + after);
        }
    }

    /** The mean loss of {@link PsTraining#model()} with these weights' values over all the data. */
    private static double loss(List<Variable> vars) {
        Sequential m = PsTraining.model();
        List<Variable> mine = m.trainableWeights();
        for (int i = 0; i < vars.size(); i++) mine.get(i).assign(vars.get(i).read());
        return Losses.sparseCategoricalCrossentropy(true).call(PsTraining.Y,
                m.call(new Tensor[] {PsTraining.X}, false)[0]).doubleValue();
    }

    @Test
    void placementRoundRobinOrGreedyBySize() throws Exception {
        long[] bytes = {1024, 256, 768, 12, 768};
        assertArrayEquals(new int[] {0, 1, 0, 1, 0}, VariablePlacement.ROUND_ROBIN.place(bytes, 2));
        // largest first onto the least loaded: 1024->0, 768->1, 768->1 (768 < 1024), 256->0, 12->0 (1280 < 1536)
        assertArrayEquals(new int[] {0, 0, 1, 0, 1}, VariablePlacement.GREEDY_BY_SIZE.place(bytes, 2));
        assertArrayEquals(new int[] {0, 0, 0}, VariablePlacement.GREEDY_BY_SIZE.place(new long[] {5, 5, 5}, 1));
        assertThrows(IllegalArgumentException.class, () -> VariablePlacement.ROUND_ROBIN.place(bytes, 0));

        try (Cluster c = new Cluster(Map.of("worker", 1, "ps", 2), OPTIONS)) {
            // kernel 4x64 (1024 bytes), bias 64 (256), kernel 64x3 (768), bias 3 (12)
            Sequential m = new Sequential(new Dense(64, "relu"), new Dense(3));
            m.input(4);
            ParameterServerStrategy s = ParameterServerStrategy.of(c.server("worker", 0), Mode.ASYNCHRONOUS)
                    .withPlacement(VariablePlacement.GREEDY_BY_SIZE);
            s.pull(m.trainableWeights());
            String ps0 = c.server("ps", 0).task().toString();
            String ps1 = c.server("ps", 1).task().toString();
            Map<String, String> where = s.placement(m.trainableWeights());
            assertTrue(where.get("dense/kernel").startsWith(ps0), where.toString());
            assertTrue(where.get("dense_1/kernel").startsWith(ps1), where.toString());
            // 1024 -> ps 0, 768 -> ps 1, 256 -> ps 1 (768 < 1024), 12 -> ps 0 (a tie: the lower index)
            assertEquals(List.of("dense/kernel", "dense_1/bias"), c.server("ps", 0).parameterService().variables("default"));
            assertEquals(List.of("dense/bias", "dense_1/kernel"), c.server("ps", 1).parameterService().variables("default"));
        }
    }

    @Test
    void errorsNameThePsTask() throws Exception {
        DistributedOptions quick = OPTIONS.stepTimeout(Duration.ofSeconds(1));
        try (Cluster c = new Cluster(Map.of("worker", 3, "ps", 1), quick)) {
            String ps = "ps task /job:ps/replica:0/task:0 (" + c.spec.address("ps", 0) + ")";
            // a worker whose chief never creates the variables gives up after the step deadline
            Sequential lone = PsTraining.model();
            var e0 = assertThrows(DistributedException.class, () -> ParameterServerStrategy.of(c.server("worker", 1),
                    Mode.SYNCHRONOUS).withGroup("never").pull(lone.trainableWeights()));
            assertTrue(e0.getMessage().contains(ps) && e0.getMessage().contains("were not created"), e0.getMessage());

            Sequential chiefModel = PsTraining.model();
            ParameterServerStrategy chief = ParameterServerStrategy.of(c.server("worker", 0), Mode.ASYNCHRONOUS);
            chief.pull(chiefModel.trainableWeights());

            // another model: a variable the ps does not host
            Sequential other = new Sequential(new Dense(8, "relu"), new Dense(8), new Dense(3));
            other.input(4);
            var e1 = assertThrows(DistributedException.class, () -> ParameterServerStrategy.of(c.server("worker", 1),
                    Mode.ASYNCHRONOUS).pull(other.trainableWeights()));
            assertTrue(e1.getMessage().contains(ps) && e1.getMessage().contains("no variable 'dense_2/kernel'"),
                    e1.getMessage());

            // the same layers with another width: the shapes differ
            Sequential wide = new Sequential(new Dense(5, "relu"), new Dense(3));
            wide.input(4);
            var e2 = assertThrows(IllegalArgumentException.class, () -> ParameterServerStrategy.of(c.server("worker", 2),
                    Mode.ASYNCHRONOUS).pull(wide.trainableWeights()));
            assertTrue(e2.getMessage().contains(ps) && e2.getMessage().contains("holds 'dense/kernel' as float32 (4, 8)"),
                    e2.getMessage());

            // a gradient of the wrong shape, and an optimizer other than the group's
            List<Variable> vars = chiefModel.trainableWeights();
            List<Tensor> grads = new ArrayList<>();
            for (Variable v : vars) grads.add(v.read());
            chief.push(new SGD(0.1), grads, vars, 1);
            List<Tensor> bad = new ArrayList<>(grads);
            bad.set(0, grads.get(1));
            var e3 = assertThrows(IllegalArgumentException.class, () -> chief.push(new SGD(0.1), bad, vars, 1));
            assertTrue(e3.getMessage().contains("gradient of 'dense/kernel' is float32 (8,)"), e3.getMessage());
            var e4 = assertThrows(DistributedException.class, () -> chief.push(new Adam(0.1), grads, vars, 1));
            assertTrue(e4.getMessage().contains(ps) && e4.getMessage().contains("is trained with SGD"), e4.getMessage());

            // SYNC: the next step waits for every replica; when the others never push, the pull says which
            Sequential syncModel = PsTraining.model();
            List<Variable> syncVars = syncModel.trainableWeights();
            ParameterServerStrategy sync = ParameterServerStrategy.of(c.server("worker", 0), Mode.SYNCHRONOUS)
                    .withGroup("stalled");
            sync.pull(syncVars);
            List<Tensor> zeros = new ArrayList<>();
            for (Variable v : syncVars) zeros.add(org.nabla.Ops.mul(v.read(), 0f));
            sync.push(new SGD(0.1), zeros, syncVars, 4);
            var e7 = assertThrows(DistributedException.class, () -> sync.pull(syncVars));
            assertTrue(e7.getMessage().contains(ps) && e7.getMessage().contains("waiting for replicas [1, 2] to push "
                    + "step 0"), e7.getMessage());

            // the ps goes down: the next pull fails at once, naming it
            c.server("ps", 0).close();
            long t0 = System.nanoTime();
            var e5 = assertThrows(DistributedException.class, () -> chief.pull(vars));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(e5.getMessage().contains(ps + " is unreachable (PullVariables)"), e5.getMessage());
            assertTrue(ms < 5000, "failed within seconds, took " + ms + " ms");

            // a ps restarted on the same port has lost the variables: its new incarnation says so
            int port = Integer.parseInt(c.spec.address("ps", 0).split(":")[1]);
            try (Server again = Server.start(new Server.Config(c.spec, "ps", 0, port, 1, quick))) {
                String why = "";
                for (int i = 0; i < 50 && !why.contains("restarted"); i++) {   // until the channel reconnects
                    why = assertThrows(DistributedException.class, () -> chief.pull(vars)).getMessage();
                    if (why.contains("unreachable")) Thread.sleep(200);
                }
                assertTrue(why.contains(ps) && why.contains("/job:ps/replica:0/task:0 restarted"), why);
            }
        }
    }

    @Test
    void aChiefTwoWorkersAndAPsInFourProcessesMatchOneProcess(@TempDir Path dir) throws Exception {
        List<float[]> expected = PsTraining.train(null);
        List<float[]> expectedFit = PsTraining.fit(null);
        int[] ports = {Cluster.freePort(), Cluster.freePort(), Cluster.freePort(), Cluster.freePort()};
        Path clusterFile = dir.resolve("cluster.json");
        Files.writeString(clusterFile, "{\"cluster\": {\"chief\": [\"localhost:" + ports[0] + "\"], \"worker\": "
                + "[\"localhost:" + ports[1] + "\", \"localhost:" + ports[2] + "\"], \"ps\": [\"localhost:" + ports[3]
                + "\"]}}");
        List<MultiProcessTest.Task> tasks = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            tasks.add(MultiProcessTest.startJava(ServerMain.class.getName(), List.of("--cluster",
                    clusterFile.toString(), "--job", "ps", "--task", "0"), "ps 0"));
            String[][] replicas = {{"chief", "0"}, {"worker", "0"}, {"worker", "1"}};
            for (String[] r : replicas) {
                tasks.add(MultiProcessTest.startJava(PsTraining.class.getName(), List.of(clusterFile.toString(), r[0],
                        r[1], dir.resolve(r[0] + r[1]).toString()), r[0] + " " + r[1]));
            }
            for (MultiProcessTest.Task t : tasks.subList(1, tasks.size())) {
                assertTrue(t.process().waitFor(90, TimeUnit.SECONDS), "the replica finished: " + t.output());
                assertEquals(0, t.process().exitValue(), "replica exit status; output: " + t.output());
            }
            System.out.printf("chief, 2 workers and a ps (4 JVMs) trained in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            for (String[] r : replicas) {
                String who = r[0] + " " + r[1];
                assertSameWeights(expected, PsTraining.read(dir.resolve(r[0] + r[1] + ".loop")), "custom loop, " + who);
                assertSameWeights(expectedFit, PsTraining.read(dir.resolve(r[0] + r[1] + ".fit")), "fit, " + who);
            }
        } finally {
            for (MultiProcessTest.Task t : tasks) MultiProcessTest.kill(t);
        }
    }
}
