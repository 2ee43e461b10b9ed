package org.nabla.distributed.master;

import org.nabla.distributed.ClusterSpec;
import org.nabla.distributed.DistributedException;
import org.nabla.distributed.DistributedOptions;
import org.nabla.distributed.rpc.Channels;
import org.nabla.distributed.rpc.Rpc;
import org.nabla.distributed.worker.Worker;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.nabla.device.DeviceSpec;
import org.nabla.distributed.proto.CloseSessionRequest;
import org.nabla.distributed.proto.CloseSessionResponse;
import org.nabla.distributed.proto.CreateSessionRequest;
import org.nabla.distributed.proto.CreateSessionResponse;
import org.nabla.distributed.proto.DeviceAttributes;
import org.nabla.distributed.proto.ExtendSessionRequest;
import org.nabla.distributed.proto.ExtendSessionResponse;
import org.nabla.distributed.proto.GetStatusRequest;
import org.nabla.distributed.proto.GetStatusResponse;
import org.nabla.distributed.proto.ListDevicesRequest;
import org.nabla.distributed.proto.ListDevicesResponse;
import org.nabla.distributed.proto.MasterServiceGrpc;
import org.nabla.distributed.proto.RunStepRequest;
import org.nabla.distributed.proto.RunStepResponse;
import org.nabla.distributed.proto.WorkerServiceGrpc;
import org.nabla.graph.Graph;
import org.nabla.graph.GraphIO;

/**
 * The distributed master (TensorFlow's Master): it creates a {@link MasterSession} per client session, after asking
 * every task of its cluster for its devices and incarnation (GetStatus, in parallel, under the RPC deadline; a task
 * that is down or silent fails the creation naming it), and hands each session's steps to it. Used in the client's
 * process by {@link org.nabla.distributed.DistributedSession#create} and served over gRPC by every
 * {@link org.nabla.distributed.Server}.
 */
public final class Master implements MasterCalls {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Jobs whose first task gets the nodes that ask for no device, in this order of preference. */
    private static final List<String> DEFAULT_JOBS = List.of("chief", "master", "worker");

    private final ClusterSpec cluster;
    private final Channels channels;
    private final DistributedOptions options;
    private final Map<String, MasterSession> sessions = new ConcurrentHashMap<>();

    public Master(ClusterSpec cluster, Channels channels) {
        this.cluster = cluster;
        this.channels = channels;
        this.options = channels.options();
    }

    /** A task as a session knows it. */
    record TaskState(DeviceSpec task, String address, long incarnation, List<DeviceAttributes> devices) {
        String describe() { return task + " (" + address + ")"; }

        WorkerServiceGrpc.WorkerServiceStub stub(Channels channels) {
            return WorkerServiceGrpc.newStub(channels.get(address));
        }
    }

    // ---------------------------------------------------------------- sessions

    @Override
    public CreateSessionResponse createSession(CreateSessionRequest request) {
        Graph graph = readGraph(request.getGraph());
        Worker.mode(request.getExecutionMode());
        List<TaskState> tasks = contactAll();
        String handle = HexFormat.of().toHexDigits(RANDOM.nextLong());
        sessions.put(handle, new MasterSession(handle, graph, tasks, request.getExecutionMode(), channels));
        return CreateSessionResponse.newBuilder().setSessionHandle(handle).setGraphVersion(graph.size()).build();
    }

    private static Graph readGraph(ByteString bytes) {
        try {
            return GraphIO.fromBytes(bytes.toByteArray());
        } catch (IOException e) {
            throw new IllegalArgumentException("the session's graph does not read: " + e.getMessage(), e);
        }
    }

    /** GetStatus of every task, in parallel; the tasks in placement order (the default job's first). */
    private List<TaskState> contactAll() {
        List<DeviceSpec> all = new ArrayList<>(cluster.allTasks());
        all.sort(Comparator.comparingInt((DeviceSpec t) -> {
            int i = DEFAULT_JOBS.indexOf(t.job());
            return i < 0 ? DEFAULT_JOBS.size() : i;
        }));
        List<CompletableFuture<GetStatusResponse>> calls = new ArrayList<>();
        for (DeviceSpec t : all) {
            String address = cluster.address(t);
            calls.add(Rpc.call(o -> WorkerServiceGrpc.newStub(channels.get(address))
                    .withDeadlineAfter(options.rpcTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .getStatus(GetStatusRequest.getDefaultInstance(), o)));
        }
        List<TaskState> tasks = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            DeviceSpec t = all.get(i);
            String address = cluster.address(t);
            GetStatusResponse r;
            try {
                r = Rpc.await(calls.get(i));
            } catch (RuntimeException e) {
                throw taskError(t + " (" + address + ")", "GetStatus", e);
            }
            if (!r.getTask().equals(t.toString())) {
                throw new DistributedException("the server at " + address + " is task " + r.getTask() + ", but the "
                        + "cluster says " + t + " is there");
            }
            tasks.add(new TaskState(t, address, r.getIncarnation(), List.copyOf(r.getDevicesList())));
        }
        return List.copyOf(tasks);
    }

    /** The failure of {@code call} on {@code task}, in words a user can act on. */
    static DistributedException taskError(String task, String call, Throwable e) {
        Throwable t = Rpc.unwrap(e);
        String why = Rpc.message(t);
        if (t instanceof StatusRuntimeException s) {
            if (s.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                return new DistributedException("task " + task + " is unreachable (" + call + "): " + why, t);
            }
            if (s.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
                return new DistributedException("task " + task + " did not answer " + call + " in time: " + why, t);
            }
        }
        return new DistributedException(call + " failed on task " + task + ": " + why, t);
    }

    private MasterSession session(String handle) {
        MasterSession s = sessions.get(handle);
        if (s == null || s.closed) {
            throw new IllegalArgumentException("no open session '" + handle + "' on this master (closed, or never "
                    + "created)");
        }
        return s;
    }

    @Override
    public ExtendSessionResponse extendSession(ExtendSessionRequest request) {
        return session(request.getSessionHandle()).extend(request, readGraph(request.getGraph()));
    }

    @Override
    public CloseSessionResponse closeSession(CloseSessionRequest request) {
        MasterSession s = sessions.remove(request.getSessionHandle());
        if (s != null) s.close();
        return CloseSessionResponse.getDefaultInstance();
    }

    @Override
    public ListDevicesResponse listDevices(ListDevicesRequest request) {
        List<TaskState> tasks = request.getSessionHandle().isEmpty() ? contactAll()
                : session(request.getSessionHandle()).tasks;
        ListDevicesResponse.Builder b = ListDevicesResponse.newBuilder();
        for (TaskState t : tasks) b.addAllDevices(t.devices());
        return b.build();
    }

    @Override
    public void close() {
        for (String h : List.copyOf(sessions.keySet())) {
            closeSession(CloseSessionRequest.newBuilder().setSessionHandle(h).build());
        }
    }

    @Override
    public RunStepResponse runStep(RunStepRequest request) {
        return session(request.getSessionHandle()).runStep(request);
    }

    // ---------------------------------------------------------------- gRPC

    /** The master {@code master} supplies (once the server knows its own port) as a gRPC service. */
    public static MasterServiceGrpc.MasterServiceImplBase service(java.util.function.Supplier<Master> master) {
        return new MasterServiceGrpc.MasterServiceImplBase() {
            @Override
            public void createSession(CreateSessionRequest r, StreamObserver<CreateSessionResponse> o) {
                Rpc.serve(o, () -> master.get().createSession(r));
            }

            @Override
            public void extendSession(ExtendSessionRequest r, StreamObserver<ExtendSessionResponse> o) {
                Rpc.serve(o, () -> master.get().extendSession(r));
            }

            @Override
            public void runStep(RunStepRequest r, StreamObserver<RunStepResponse> o) {
                Rpc.serve(o, () -> master.get().runStep(r));
            }

            @Override
            public void closeSession(CloseSessionRequest r, StreamObserver<CloseSessionResponse> o) {
                Rpc.serve(o, () -> master.get().closeSession(r));
            }

            @Override
            public void listDevices(ListDevicesRequest r, StreamObserver<ListDevicesResponse> o) {
                Rpc.serve(o, () -> master.get().listDevices(r));
            }
        };
    }
}
