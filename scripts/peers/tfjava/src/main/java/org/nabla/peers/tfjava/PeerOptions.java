package org.nabla.peers.tfjava;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line every peer of scripts/compare-peers.sh takes (scripts/peers/common.py), with the same defaults:
 * --models, --phases, --infer-batch, --threads, --warmup, --steps, --seconds.
 */
record PeerOptions(List<String> models, List<String> phases, List<Integer> inferBatches, int threads, int warmup,
                   int steps, double seconds) {
    static final String USAGE = "usage: TfJavaPeer [--models mlp,cnn] [--phases train,infer] [--infer-batch 1000,1]"
            + " [--threads 2] [--warmup 5] [--steps 5] [--seconds 1.0]";

    static PeerOptions parse(String[] args) {
        List<String> models = List.of("mlp", "cnn");
        List<String> phases = List.of("train", "infer");
        List<Integer> inferBatches = List.of(1000, 1);
        int threads = 2;
        int warmup = 5;
        int steps = 5;
        double seconds = 1.0;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("-h") || flag.equals("--help")) throw new IllegalArgumentException(USAGE);
            if (i + 1 >= args.length) throw new IllegalArgumentException(flag + " needs a value; " + USAGE);
            String value = args[++i];
            switch (flag) {
                case "--models" -> models = split(value);
                case "--phases" -> phases = split(value);
                case "--infer-batch" -> inferBatches = split(value).stream().map(Integer::valueOf).toList();
                case "--threads" -> threads = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--steps" -> steps = Integer.parseInt(value);
                case "--seconds" -> seconds = Double.parseDouble(value);
                default -> throw new IllegalArgumentException("unknown option " + flag + "; " + USAGE);
            }
        }
        for (String m : models) Workload.trainBatch(m);
        for (String p : phases) {
            if (!p.equals("train") && !p.equals("infer")) {
                throw new IllegalArgumentException("--phases takes train and/or infer, got " + p);
            }
        }
        if (threads <= 0 || warmup < 0 || steps <= 0 || seconds < 0 || inferBatches.stream().anyMatch(b -> b <= 0)) {
            throw new IllegalArgumentException("need --threads > 0, --warmup >= 0, --steps > 0, --seconds >= 0 and "
                    + "positive --infer-batch sizes");
        }
        return new PeerOptions(models, phases, inferBatches, threads, warmup, steps, seconds);
    }

    /** (model, phase, batch) in common.py's order: per model, training at its reference batch, then inference. */
    List<Workload> workloads() {
        List<Workload> out = new ArrayList<>();
        for (String m : models) {
            if (phases.contains("train")) out.add(new Workload(m, "train", Workload.trainBatch(m)));
            if (phases.contains("infer")) for (int b : inferBatches) out.add(new Workload(m, "infer", b));
        }
        return out;
    }

    private static List<String> split(String csv) {
        return List.of(csv.split(","));
    }
}
