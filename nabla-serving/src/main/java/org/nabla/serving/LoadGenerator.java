package org.nabla.serving;

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

/**
 * Measures the server under load, batching on and off in alternating rounds in one process: closed-loop clients
 * (each sends its next one-example {@code :predict} when the last is answered) for a few seconds per setting, then
 * requests per second and the median and 99th-percentile latency.
 * {@code java -cp ... org.nabla.serving.LoadGenerator MODEL_DIR [SECONDS] [ROUNDS] [CLIENTS,...]}.
 */
public final class LoadGenerator {
    private LoadGenerator() { }

    /** One setting's result. */
    record Result(boolean batching, int clients, double perSecond, double p50Ms, double p99Ms, long meanBatch) { }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: LoadGenerator MODEL_DIR [SECONDS=5] [ROUNDS=2] [CLIENTS=1,8,64]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int[] clients = Arrays.stream((args.length > 3 ? args[3] : "1,8,64").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        try (ServedModel model = ServedModel.open("model", dir)) {
            String body = oneExample(model, new Random(1));
            for (int n : new int[] {1, 8, 64}) {
                System.out.printf("model run alone (no HTTP), %d examples: median %.1f us%n", n, runMicros(model, body, n));
            }
            List<Result> all = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                for (int c : clients) {
                    for (boolean batching : new boolean[] {true, false}) {
                        Result r = measure(model, batching, c, seconds, body);
                        all.add(r);
                        System.out.printf("round %d  batching %-3s  clients %3d  %8.1f req/s  p50 %7.2f ms  "
                                + "p99 %7.2f ms  mean batch %d%n", round + 1, batching ? "on" : "off", c,
                                r.perSecond, r.p50Ms, r.p99Ms, r.meanBatch);
                    }
                }
            }
            System.out.println("medians over rounds:");
            for (int c : clients) {
                for (boolean batching : new boolean[] {true, false}) {
                    List<Result> rs = all.stream().filter(r -> r.clients == c && r.batching == batching).toList();
                    System.out.printf("batching %-3s  clients %3d  %8.1f req/s (%s)  p50 %7.2f ms  p99 %7.2f ms%n",
                            batching ? "on" : "off", c, median(rs.stream().mapToDouble(Result::perSecond).toArray()),
                            rs.stream().map(r -> String.format("%.0f", r.perSecond)).toList(),
                            median(rs.stream().mapToDouble(Result::p50Ms).toArray()),
                            median(rs.stream().mapToDouble(Result::p99Ms).toArray()));
                }
            }
        }
    }

    private static Result measure(ServedModel model, boolean batching, int clients, double seconds, String body)
            throws Exception {
        ServingOptions options = ServingOptions.defaults().withPort(0).withBatching(batching);
        try (ModelServer server = ModelServer.start(model, options);
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/v1/models/model:predict")).POST(HttpRequest.BodyPublishers.ofString(body)).build();
            for (int i = 0; i < 20; i++) http.send(req, HttpResponse.BodyHandlers.ofString()); // warm-up
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
                        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) throw new IllegalStateException(r.body());
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
            return new Result(batching, clients, all.length / seconds, all[all.length / 2] / 1e6,
                    all[(int) Math.min(all.length - 1, Math.floor(all.length * 0.99))] / 1e6,
                    batches == 0 ? 0 : Math.round((double) examples / batches));
        }
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
