package org.nabla.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.nabla.Tensor;
import org.nabla.device.Device;
import org.nabla.device.DeviceSpec;
import org.nabla.graph.Graph;
import org.nabla.graph.Output;

/**
 * The other processes (tasks) a {@link FunctionRuntime} may place function nodes on (TensorFlow's
 * DistributedFunctionLibraryRuntime): their devices, and a way to register a function's share for one of them and run
 * it per call. The distributed runtime implements it over its worker service; {@link #NONE} is a session's (one
 * process). Core knows nothing of how the parts travel.
 */
public interface RemoteTasks {
    /** No other process: every function runs on the session's own devices. */
    RemoteTasks NONE = new RemoteTasks() {
        @Override public List<Device> devices() { return List.of(); }

        @Override
        public Component register(DeviceSpec task, String function, Graph graph, List<Output> feeds,
                                  List<Output> fetches) {
            throw new IllegalStateException("function " + function + " places nodes on " + task + ", which is not a "
                    + "task this runtime reaches");
        }
    };

    /** The devices of the other tasks (full names), where function nodes may be placed besides the local ones. */
    List<Device> devices();

    /**
     * Registers {@code graph}, the share of function {@code function} placed on {@code task}: a graph whose nodes
     * all carry full device names of that task, which receives {@code feeds} and returns {@code fetches} on every
     * call and exchanges the rest with the caller's share through Send/Recv pairs. Called once per function and
     * caller device; may block (it is a remote call).
     */
    Component register(DeviceSpec task, String function, Graph graph, List<Output> feeds, List<Output> fetches);

    /** A registered share of a function on another task. */
    interface Component {
        /**
         * Runs the share once, for step {@code stepId}, its Send/Recv keys in {@code frame} ({@code frameId:iteration},
         * see {@link org.nabla.kernels.Rendezvous#inFrame}); completes with the fetches in order, or fails with an
         * error naming the task. Cancelling the future gives up the call.
         */
        CompletableFuture<Tensor[]> run(long stepId, String frame, Tensor[] feeds);
    }
}
