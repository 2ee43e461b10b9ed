package org.nabla.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Reference numbers from NumPy (sgemm, add) and PyTorch (conv2d, dispatch) on the same machine: runs the bundled
 * {@code bench/reference.py} and attaches its results to the Java rows, named with the versions measured.
 *
 * <p>The Python is {@code -Dnabla.bench.python} when set, else the peers' virtual environment that
 * {@code scripts/compare-peers.sh} installs ({@code ~/.cache/nabla-peers/venv}: NumPy 2 with its own, newer OpenBLAS,
 * the stronger reference) when present, else {@code /usr/bin/python3} (Debian's NumPy and PyTorch).
 */
public final class Reference {
    static final String SYSTEM_PYTHON = "/usr/bin/python3";
    static final String PYTHON = choosePython();
    private static final long TIMEOUT_MINUTES = 10;

    private Reference() {}

    private static String choosePython() {
        String chosen = System.getProperty("nabla.bench.python");
        if (chosen != null && !chosen.isBlank()) return chosen;
        Path venv = Path.of(System.getProperty("user.home"), ".cache", "nabla-peers", "venv", "bin", "python");
        return Files.isExecutable(venv) ? venv.toString() : SYSTEM_PYTHON;
    }

    /** A reference measurement: value, or NaN with the reason it is missing. */
    record Value(double value, String name, String note) {}

    /** Adds reference values to {@code rows}; rows without one get a note saying why. */
    public static List<BenchResult> attach(List<BenchResult> rows, Set<String> groups, boolean quick) {
        Map<String, Value> ref = measure(groups, quick);
        List<BenchResult> out = new ArrayList<>();
        for (BenchResult r : rows) {
            // A scoped row compares with the same reference as its plain row (NumPy has no scopes to open).
            Value v = ref.get(r.key().replace("_scoped", ""));
            if (v == null) v = ref.getOrDefault("*", new Value(Double.NaN, "", "no reference value"));
            out.add(r.withReference(v.value(), v.name(), v.note()));
        }
        return out;
    }

    /** Runs reference.py; on any failure every key maps to NaN with the reason (under key "*"). */
    static Map<String, Value> measure(Set<String> groups, boolean quick) {
        Map<String, Value> out = new LinkedHashMap<>();
        if (!Files.isExecutable(Path.of(PYTHON))) {
            out.put("*", new Value(Double.NaN, "", PYTHON + " not found"));
            return out;
        }
        Path script = null;
        try {
            script = Files.createTempFile("nabla-bench-reference", ".py");
            try (InputStream in = Reference.class.getResourceAsStream("/bench/reference.py")) {
                if (in == null) throw new IOException("bench/reference.py is missing from the class path");
                Files.write(script, in.readAllBytes());
            }
            Set<String> wanted = new java.util.LinkedHashSet<>(groups);
            if (wanted.remove("scoped")) {
                wanted.add("add");
                wanted.add("sgemm");
            }
            List<String> cmd = new ArrayList<>(List.of(PYTHON, script.toString(), "--only",
                    String.join(",", wanted), "--sizes", java.util.Arrays.stream(Benchmarks.SGEMM_SIZES)
                            .mapToObj(Integer::toString).collect(Collectors.joining(","))));
            if (quick) cmd.add("--quick");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            // These tuning variables may be set for other tools on this machine and slow OpenBLAS down; the
            // reference should be NumPy as a user gets it, so drop them for this child only.
            pb.environment().remove("OPENBLAS_CORETYPE");
            pb.environment().remove("OPENBLAS_L2_SIZE");
            Process p = pb.start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) lines.add(line);
            }
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                out.put("*", new Value(Double.NaN, "", "reference.py timed out"));
                return out;
            }
            for (String line : lines) parseLine(line, out);
            nameVersions(out);
            if (p.exitValue() != 0) {
                String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
                out.putIfAbsent("*", new Value(Double.NaN, "", "reference.py failed (exit " + p.exitValue()
                        + "): " + last));
            }
        } catch (IOException e) {
            out.put("*", new Value(Double.NaN, "", "could not run reference.py: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.put("*", new Value(Double.NaN, "", "interrupted"));
        } finally {
            if (script != null) {
                try {
                    Files.deleteIfExists(script);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
        return out;
    }

    /** Replaces "numpy"/"torch" in every value's name with the version line's "numpy 2.4.0", when there is one. */
    static void nameVersions(Map<String, Value> out) {
        for (Map.Entry<String, Value> e : out.entrySet()) {
            Value v = e.getValue();
            Value version = out.get("version " + v.name());
            if (version != null && !e.getKey().startsWith("version ")) {
                e.setValue(new Value(v.value(), version.name(), v.note()));
            }
        }
    }

    /** "key value", "key n/a reason" or "version numpy 2.4.0"; other lines (warnings) are ignored. */
    static void parseLine(String line, Map<String, Value> out) {
        String[] parts = line.trim().split("\\s+", 3);
        if (parts.length < 2) return;
        if (parts[0].equals("version") && parts.length == 3) {
            out.put("version " + parts[1], new Value(Double.NaN, parts[1] + " " + parts[2], ""));
            return;
        }
        String key = parts[0];
        String name = key.startsWith("sgemm") || key.startsWith("add") ? "numpy" : "torch";
        if (parts[1].equals("n/a")) {
            out.put(key, new Value(Double.NaN, name, parts.length > 2 ? parts[2] : "not measured"));
            return;
        }
        try {
            out.put(key, new Value(Double.parseDouble(parts[1]), name, ""));
        } catch (NumberFormatException e) {
            // not a result line
        }
    }
}
