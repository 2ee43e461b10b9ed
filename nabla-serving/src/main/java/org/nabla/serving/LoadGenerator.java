package org.nabla.serving;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.nabla.serving.tfproto.ModelSpec;
import org.nabla.serving.tfproto.PredictionServiceGrpc;

/**
 * Measures the server under load, over REST (JSON) and gRPC (TensorProto), batching on and off, in alternating
 * rounds in one process: closed-loop clients (each sends its next one-example predict when the last is answered) for
 * a few seconds per setting, then requests per second and the median and 99th-percentile latency.
 * {@code java -cp ... org.nabla.serving.LoadGenerator MODEL_DIR [SECONDS] [ROUNDS] [CLIENTS,...] [rest,grpc]}.
 */
public final class LoadGenerator {
    private LoadGenerator() { }

    /** One setting's result. */
    record Result(String protocol, boolean batching, int clients, double perSecond, double p50Ms, double p99Ms,
                  long meanBatch) { }

    /** One client's call: sends one request and checks its answer. */
    private interface Call {
        void send() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: LoadGenerator MODEL_DIR [SECONDS=5] [ROUNDS=2] [CLIENTS=1,8,64] "
                    + "[PROTOCOLS=rest,grpc]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int[] clients = Arrays.stream((args.length > 3 ? args[3] : "1,8,64").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        List<String> protocols = List.of((args.length > 4 ? args[4] : "rest,grpc").split(","));
        try (ServedModel model = ServedModel.open("model", dir)) {
            String body = oneExample(model, new Random(1));
            for (int n : new int[] {1, 8, 64}) {
                System.out.printf("model run alone (no HTTP), %d examples: median %.1f us%n", n, runMicros(model, body, n));
            }
            List<Result> all = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                for (int c : clients) {
                    for (String protocol : protocols) {
                        for (boolean batching : new boolean[] {true, false}) {
                            Result r = measure(model, protocol, batching, c, seconds, body);
                            all.add(r);
                            System.out.printf("round %d  %-4s  batching %-3s  clients %3d  %8.1f req/s  p50 %7.2f ms  "
                                    + "p99 %7.2f ms  mean batch %d%n", round + 1, protocol, batching ? "on" : "off", c,
                                    r.perSecond, r.p50Ms, r.p99Ms, r.meanBatch);
                        }
                    }
                }
            }
            System.out.println("medians over rounds:");
            for (int c : clients) {
                for (String protocol : protocols) {
                    for (boolean batching : new boolean[] {true, false}) {
                        List<Result> rs = all.stream().filter(r -> r.clients == c && r.batching == batching
                                && r.protocol.equals(protocol)).toList();
                        System.out.printf("%-4s  batching %-3s  clients %3d  %8.1f req/s (%s)  p50 %7.2f ms  "
                                + "p99 %7.2f ms  mean batch %s%n", protocol, batching ? "on" : "off", c,
                                median(rs.stream().mapToDouble(Result::perSecond).toArray()),
                                rs.stream().map(r -> String.format("%.0f", r.perSecond)).toList(),
                                median(rs.stream().mapToDouble(Result::p50Ms).toArray()),
                                median(rs.stream().mapToDouble(Result::p99Ms).toArray()),
                                rs.stream().map(r -> Long.toString(r.meanBatch)).toList());
                    }
                }
            }
        }
    }

    private static Result measure(ServedModel model, String protocol, boolean batching, int clients, double seconds,
                                  String body) throws Exception {
        ServingOptions options = ServingOptions.defaults().withPort(0).withGrpcPort(protocol.equals("grpc") ? 0 : -1)
                .withBatching(batching);
        try (ModelServer server = ModelServer.start(model, options);
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            ManagedChannel channel = null;
            Call call;
            if (protocol.equals("grpc")) {
                channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
                var stub = PredictionServiceGrpc.newBlockingStub(channel);
                Rows one = PredictRequest.parse(body, model.inputs(), 1).rows();
                var b = org.nabla.serving.tfproto.PredictRequest.newBuilder()
                        .setModelSpec(ModelSpec.newBuilder().setName("model"));
                for (int t = 0; t < model.inputs().size(); t++) {
                    b.putInputs(model.inputs().get(t).name(), TensorProtos.of(one, t, model.inputs().get(t).spec()
                            .dtype()));
                }
                var req = b.build();
                call = () -> {
                    if (stub.predict(req).getOutputsCount() != model.outputs().size()) {
                        throw new IllegalStateException("an answer lacks outputs");
                    }
                };
            } else if (protocol.equals("rest")) {
                HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/v1/models/model:predict")).POST(HttpRequest.BodyPublishers.ofString(body)).build();
                call = () -> {
                    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) throw new IllegalStateException(r.body());
                };
            } else {
                throw new IllegalArgumentException("protocol '" + protocol + "': rest or grpc");
            }
            try {
                return measure(server, call, pool, protocol, batching, clients, seconds);
            } finally {
                if (channel != null) channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Result measure(ModelServer server, Call call, ExecutorService pool, String protocol,
                                  boolean batching, int clients, double seconds) throws Exception {
        for (int i = 0; i < 20; i++) call.send(); // warm-up
        long warmBatches = server.metrics().batchCount();
        long warmExamples = server.metrics().batchExampleSum();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                while (System.nanoTime() < end && n < lat.length) {
                    long t = System.nanoTime();
                    call.send();
                    lat[n++] = System.nanoTime() - t;
                }
                return Arrays.copyOf(lat, n);
            }));
        }
        long[] all = new long[0];
        for (Future<long[]> f : futures) {
            long[] l = f.get();
            long[] merged = Arrays.copyOf(all, all.length + l.length);
            System.arraycopy(l, 0, merged, all.length, l.length);
            all = merged;
        }
        Arrays.sort(all);
        long batches = server.metrics().batchCount() - warmBatches;
        long examples = server.metrics().batchExampleSum() - warmExamples;
        return new Result(protocol, batching, clients, all.length / seconds, all[all.length / 2] / 1e6,
                all[(int) Math.min(all.length - 1, Math.floor(all.length * 0.99))] / 1e6,
                batches == 0 ? 0 : Math.round((double) examples / batches));
    }

    /** The median time of the model on {@code n} copies of the body's example, parsed once. */
    private static double runMicros(ServedModel model, String body, int n) {
        Rows one = PredictRequest.parse(body, model.inputs(), 1).rows();
        Rows rows = Rows.stack(java.util.Collections.nCopies(n, one));
        double[] t = new double[300];
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            model.predict(rows);
            t[i] = (System.nanoTime() - t0) / 1e3;
        }
        return median(Arrays.copyOfRange(t, 100, t.length));
    }

    /** A {@code {"instances": [...]}} body with one random example for every input. */
    private static String oneExample(ServedModel model, Random r) {
        StringBuilder sb = new StringBuilder("{\"instances\": [");
        boolean single = model.inputs().size() == 1;
        sb.append(single ? "" : "{");
        for (int i = 0; i < model.inputs().size(); i++) {
            ServedModel.Port p = model.inputs().get(i);
            if (!single) sb.append(i > 0 ? ", " : "").append('"').append(p.name()).append("\": ");
            int[] dims = p.spec().shape().dims();
            nested(sb, Arrays.copyOfRange(dims, 1, dims.length), 0, r);
        }
        return sb.append(single ? "" : "}").append("]}").toString();
    }

    private static void nested(StringBuilder sb, int[] dims, int axis, Random r) {
        if (axis == dims.length) {
            sb.append(String.format("%.3f", r.nextFloat()));
            return;
        }
        sb.append('[');
        for (int i = 0; i < Math.max(1, dims[axis]); i++) {
            if (i > 0) sb.append(", ");
            nested(sb, dims, axis + 1, r);
        }
        sb.append(']');
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
