package org.nabla.peers.tfjava;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;
import org.tensorflow.TensorFlow;

/**
 * The TensorFlow Java peer of scripts/compare-peers.sh: Nabla's reference models in TensorFlow Java's graph API
 * (Graph, Ops, Session), timed as the Python peers time theirs (scripts/peers/common.py): steady training steps at
 * the model's reference batch, inference at each --infer-batch. Prints one JSON line per workload on stdout, in
 * common.py's shape; everything else goes to stderr. {@code --self-check} checks the graphs instead
 * ({@link SelfCheck}).
 */
public final class TfJavaPeer {
    private static final long SEED = 42;

    private TfJavaPeer() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("--self-check")) {
            SelfCheck.run(2);
            return;
        }
        PeerOptions o;
        try {
            o = PeerOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("TfJavaPeer: " + e.getMessage());
            System.exit(2);
            return;
        }
        String peer = String.format(Locale.ROOT, "TensorFlow Java %s (%d thread%s)", bindingVersion(), o.threads(),
                o.threads() == 1 ? "" : "s");
        System.err.println("TfJavaPeer: TensorFlow " + TensorFlow.version() + " runtime; intra-op and inter-op threads "
                + o.threads());
        for (Workload w : o.workloads()) {
            try (ModelSession model = new ModelSession(w, o.threads(), SEED);
                 SeededBatches data = new SeededBatches(w.batch(), 1)) {
                CallTimer.Timing t = w.training()
                        ? CallTimer.time(i -> model.train(data.images(i), data.labels(i)), o)
                        : CallTimer.time(i -> model.predict(data.images(i)), o);
                System.out.println(json(peer, w, t, model.parameters()));
            }
        }
    }

    private static String json(String peer, Workload w, CallTimer.Timing t, long parameters) {
        return String.format(Locale.ROOT, "{\"peer\": \"%s\", \"model\": \"%s\", \"phase\": \"%s\", "
                        + "\"batch_size\": %d, \"samples_per_second\": %s, \"seconds_per_call\": %s, \"calls\": %d, "
                        + "\"parameters\": %d}", peer, w.model(), w.phase(), w.batch(),
                t.calls() * w.batch() / t.seconds(), t.seconds() / t.calls(), t.calls(), parameters);
    }

    /** The binding's Maven version, written into peer.properties at build time. */
    private static String bindingVersion() {
        try (InputStream in = TfJavaPeer.class.getResourceAsStream("/peer.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("tensorflow.version", "?");
        } catch (IOException e) {
            return "?";
        }
    }
}
