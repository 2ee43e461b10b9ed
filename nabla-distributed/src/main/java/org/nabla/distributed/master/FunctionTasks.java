package org.nabla.distributed.master;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.nabla.device.DeviceSpec;
import org.nabla.graph.FuncGraph;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.ops.GraphFunction;

/**
 * The tasks a step may reach through the functions its graph calls (control-flow branches and loop bodies, nested
 * ones included), beyond the tasks holding a partition: each task a function node's device request names. The master
 * aborts and cleans up the step on those too, since their workers run the functions' shares for the step. A request
 * naming no job and no task stays with its caller, which already takes part; a partial request may name several tasks
 * (all are counted: one cleanup too many costs an RPC, one too few leaves a step's state behind).
 */
final class FunctionTasks {
    private FunctionTasks() {}

    /** The tasks of {@code tasks} that function nodes reachable from {@code graph} ask for, in their order. */
    static List<Master.TaskState> reached(Graph graph, List<Master.TaskState> tasks) {
        Set<Graph> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<DeviceSpec> requests = new ArrayList<>();
        visitFunctions(graph, seen, requests, false);
        List<Master.TaskState> out = new ArrayList<>();
        for (Master.TaskState t : tasks) {
            for (DeviceSpec r : requests) {
                if (names(r, t.task())) {
                    out.add(t);
                    break;
                }
            }
        }
        return out;
    }

    private static void visitFunctions(Graph g, Set<Graph> seen, List<DeviceSpec> requests, boolean inFunction) {
        if (!seen.add(g)) return;
        for (Node n : g.nodes()) {
            if (inFunction && !n.device().isEmpty()) {
                DeviceSpec s = DeviceSpec.parse(n.device());
                if (s.job() != null || s.task() >= 0) requests.add(s);
            }
            for (Object v : n.attrs().asMap().values()) {
                if (v instanceof FuncGraph f) visitFunctions(f.graph(), seen, requests, true);
                if (v instanceof GraphFunction[] fs) {
                    for (GraphFunction f : fs) if (f instanceof FuncGraph fg) visitFunctions(fg.graph(), seen, requests, true);
                }
            }
        }
    }

    private static boolean names(DeviceSpec request, DeviceSpec task) {
        return (request.job() == null || request.job().equals(task.job()))
                && (request.replica() < 0 || request.replica() == task.replica())
                && (request.task() < 0 || request.task() == task.task());
    }
}
