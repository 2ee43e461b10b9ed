package org.nabla.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.device.DeviceSpec;

class TfConfigTest {
    /**
     * What Kubeflow's training operator sets in every pod of a TFJob named "mnist" in namespace "kubeflow" (its
     * TFConfig struct marshalled by Go's encoding/json: keys cluster, task, environment; the cluster's jobs sorted;
     * each address the pod's headless service name and the job's port).
     */
    static final String TFJOB = "{\"cluster\":{\"chief\":[\"mnist-chief-0.kubeflow.svc:2222\"],"
            + "\"ps\":[\"mnist-ps-0.kubeflow.svc:2222\"],\"worker\":[\"mnist-worker-0.kubeflow.svc:2222\","
            + "\"mnist-worker-1.kubeflow.svc:2222\"]},\"task\":{\"type\":\"worker\",\"index\":1},"
            + "\"environment\":\"cloud\"}";

    @Test
    void readsTheTfConfigATfJobWrites() {
        TfConfig c = TfConfig.parse(TFJOB, "TF_CONFIG");
        assertEquals("worker", c.taskType());
        assertEquals(1, c.taskIndex());
        assertEquals(new DeviceSpec("worker", 0, 1, null, -1), c.task());
        assertEquals("mnist-worker-1.kubeflow.svc:2222", c.address());
        assertEquals(List.of("chief", "ps", "worker"), c.cluster().jobs());
        assertEquals("mnist-ps-0.kubeflow.svc:2222", c.cluster().address("ps", 0));
        assertEquals(List.of("/job:chief/replica:0/task:0", "/job:ps/replica:0/task:0", "/job:worker/replica:0/task:0",
                "/job:worker/replica:0/task:1"), c.cluster().allTasks().stream().map(DeviceSpec::toString).toList());
        assertEquals(ClusterSpec.of(Map.of("chief", List.of("mnist-chief-0.kubeflow.svc:2222"),
                "ps", List.of("mnist-ps-0.kubeflow.svc:2222"), "worker", List.of("mnist-worker-0.kubeflow.svc:2222",
                        "mnist-worker-1.kubeflow.svc:2222"))), c.cluster());
    }

    @Test
    void readsTheSparseFormOfADynamicWorkerTfJob() {
        TfConfig c = TfConfig.parse("{\"sparseCluster\":{\"worker\":{\"1\":\"w-1.ns.svc:2222\"},"
                + "\"ps\":[\"ps-0.ns.svc:2222\"]},\"task\":{\"type\":\"worker\",\"index\":1}}", "TF_CONFIG");
        assertEquals("w-1.ns.svc:2222", c.address());
        assertEquals(false, c.cluster().has("worker", 0));
        assertEquals("jobs: worker [1], ps [0]", c.cluster().describe());
    }

    @Test
    void readsAFileAndAClusterAlone(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("tf_config.json");
        Files.writeString(f, TFJOB);
        assertEquals("mnist-worker-1.kubeflow.svc:2222", TfConfig.read(f).address());
        ClusterSpec bare = TfConfig.parseCluster("{\"worker\": [\"localhost:2222\", \"[::1]:2223\"]}", "cluster.json");
        assertEquals("[::1]:2223", bare.address("worker", 1));
        assertEquals(bare, TfConfig.parseCluster(TFJOB.replace("mnist-chief-0.kubeflow.svc:2222", "x:1")
                .substring(0, 0) + "{\"cluster\": {\"worker\": [\"localhost:2222\", \"[::1]:2223\"]}}", "c"));
    }

    private static String error(String json) {
        return assertThrows(IllegalArgumentException.class, () -> TfConfig.parse(json, "TF_CONFIG")).getMessage();
    }

    @Test
    void malformedInputNamesTheKeyTheValueAndWhatWasExpected() {
        assertEquals("TF_CONFIG: not valid JSON: ", error("{\"cluster\": ").substring(0, 27));
        assertEquals("TF_CONFIG: no \"cluster\" key (expected {\"cluster\": {\"worker\": [\"host:port\", ...]}, \"task\": "
                + "{\"type\": \"worker\", \"index\": 0}}); keys found: [task]", error("{\"task\": {}}"));
        assertEquals("TF_CONFIG: \"cluster\".\"worker\"[1] is 42, expected a \"host:port\" string",
                error("{\"cluster\": {\"worker\": [\"a:1\", 42]}, \"task\": {\"type\": \"worker\", \"index\": 0}}"));
        assertEquals("TF_CONFIG: \"cluster\".\"worker\"[0] is \"worker0\", expected \"host:port\" such as "
                + "\"localhost:2222\" or \"w-0.ns.svc:2222\"",
                error("{\"cluster\": {\"worker\": [\"worker0\"]}, \"task\": {\"type\": \"worker\", \"index\": 0}}"));
        assertEquals("TF_CONFIG: \"cluster\".\"worker\"[0] is \"w:99999\": port 99999 is not in 1..65535",
                error("{\"cluster\": {\"worker\": [\"w:99999\"]}, \"task\": {\"type\": \"worker\", \"index\": 0}}"));
        assertEquals("TF_CONFIG: \"cluster\".\"worker\" is \"a:1\", expected a list of \"host:port\" strings",
                error("{\"cluster\": {\"worker\": \"a:1\"}, \"task\": {\"type\": \"worker\", \"index\": 0}}"));
        assertEquals("TF_CONFIG: \"task\".\"index\" is \"1\", expected a task index (an integer >= 0)",
                error("{\"cluster\": {\"worker\": [\"a:1\"]}, \"task\": {\"type\": \"worker\", \"index\": \"1\"}}"));
        assertEquals("TF_CONFIG: \"task\".\"type\" is null, expected a job name string such as \"worker\"",
                error("{\"cluster\": {\"worker\": [\"a:1\"]}, \"task\": {\"index\": 0}}"));
        assertEquals("TF_CONFIG: task {type: \"worker\", index: 2} is not a task of the cluster (jobs: worker [0, 1])",
                error("{\"cluster\": {\"worker\": [\"a:1\", \"b:1\"]}, \"task\": {\"type\": \"worker\", \"index\": 2}}"));
        assertEquals("TF_CONFIG: task {type: \"evaluator\", index: 0} is not a task of the cluster (jobs: worker [0])",
                error("{\"cluster\": {\"worker\": [\"a:1\"]}, \"task\": {\"type\": \"evaluator\", \"index\": 0}}"));
        assertEquals("TF_CONFIG: job name 'my job' is not valid (expected letters, digits, '_', '.', '-', e.g. "
                + "\"worker\")", error("{\"cluster\": {\"my job\": [\"a:1\"]}, \"task\": {\"type\": \"my job\"}}"));
    }

    @Test
    void theServerConfigComesFromOptionsAFileOrTheEnvironment(@TempDir Path dir) throws IOException {
        Server.Config c = ServerMain.config(null, "worker", 3, 0, 2, null);
        assertEquals(new DeviceSpec("worker", 0, 3, null, -1), new DeviceSpec(c.job(), 0, c.task(), null, -1));
        assertEquals(0, c.port());
        assertEquals(2, c.cpuDevices());
        Path f = dir.resolve("tf.json");
        Files.writeString(f, TFJOB);
        Server.Config fromFile = ServerMain.config(f, null, null, null, 1, null);
        assertEquals(-1, fromFile.port(), "the port of the task's address");
        assertEquals(1, fromFile.task());
        Server.Config fromEnv = ServerMain.config(null, null, null, 4000, 1, TFJOB);
        assertEquals(4000, fromEnv.port());
        assertEquals("which task? give --job and --task (and --port), --cluster FILE with a TF_CONFIG, or set "
                + "TF_CONFIG", assertThrows(IllegalArgumentException.class,
                () -> ServerMain.config(null, null, null, null, 1, null)).getMessage());
        assertEquals("server: task 5 of job \"worker\" is not in the cluster (jobs: chief [0], ps [0], worker [0, 1])",
                assertThrows(IllegalArgumentException.class, () -> ServerMain.config(f, "worker", 5, null, 1, null))
                        .getMessage());
    }
}
