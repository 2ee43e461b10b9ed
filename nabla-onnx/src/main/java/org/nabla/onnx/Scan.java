package org.nabla.onnx;

import java.util.ArrayList;
import java.util.List;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * ONNX's Scan: body(state..., slice...) gives (state'..., out...) over the scan inputs' sequence axis, the states
 * carried, each out stacked along its scan output axis. The import unrolls the loop over the sequence length, which
 * must be known then (the body's ops are laid out once per step; each step's values fold where they are known).
 * Opset 8's form, with a batch axis first and the sequence second, runs the same loop per batch element; its
 * sequence_lens input (per-batch lengths) is not supported.
 */
final class Scan {
    private Scan() {}

    static List<Tensor> apply(OnnxNode n) {
        if (n.opset() < 9) return batched(n);
        int m = (int) n.attrInt("num_scan_inputs", -1);
        int nStates = n.inputCount() - m;
        if (m <= 0 || nStates < 0) throw n.error("num_scan_inputs " + m + " does not fit " + n.inputCount()
                + " inputs");
        List<Tensor> states = new ArrayList<>();
        for (int i = 0; i < nStates; i++) states.add(n.required(i));
        List<Tensor> xs = new ArrayList<>();
        for (int i = nStates; i < n.inputCount(); i++) xs.add(n.required(i));
        int[] inAxes = axes(n, "scan_input_axes", xs), inDirs = n.attrInts("scan_input_directions", new int[m]);
        return loop(n, states, xs, inAxes, inDirs, outputAxes(n, nStates), n.attrInts("scan_output_directions",
                new int[n.outputCount() - nStates]));
    }

    /** The steps themselves; {@code outAxes[k] < 0} counts from the end of the stacked output's rank. */
    private static List<Tensor> loop(OnnxNode n, List<Tensor> states, List<Tensor> xs, int[] inAxes, int[] inDirs,
                                     int[] outAxes, int[] outDirs) {
        int steps = -1;
        for (int i = 0; i < xs.size(); i++) {
            int len = NnRules.knownDim(n, xs.get(i), inAxes[i]);
            if (steps >= 0 && len != steps) throw n.error("scan inputs have sequence lengths " + steps + " and "
                    + len);
            steps = len;
        }
        int nOut = n.subgraphArity("body")[1] - states.size();
        List<List<Tensor>> outs = new ArrayList<>();
        for (int k = 0; k < nOut; k++) outs.add(new ArrayList<>());
        List<Tensor> carried = states;
        for (int t = 0; t < steps; t++) {
            List<Tensor> in = new ArrayList<>(carried);
            for (int i = 0; i < xs.size(); i++) {
                int at = inDirs[i] == 1 ? steps - 1 - t : t;
                in.add(Ops.gather(xs.get(i), Tensors.scalar((long) at), inAxes[i]));
            }
            List<Tensor> out = n.subgraph("body", in);
            carried = out.subList(0, states.size());
            for (int k = 0; k < nOut; k++) outs.get(k).add(out.get(states.size() + k));
        }
        List<Tensor> result = new ArrayList<>(carried);
        for (int k = 0; k < nOut; k++) {
            List<Tensor> slices = outs.get(k);
            if (slices.isEmpty()) throw n.unsupported("a scan over a sequence of length 0");
            if (k < outDirs.length && outDirs[k] == 1) slices = slices.reversed();
            int rank = slices.get(0).rank() + 1;
            int axis = outAxes.length > k ? outAxes[k] : 0;
            result.add(Ops.stack(slices, axis < 0 ? axis + rank : axis));
        }
        return result;
    }

    /** Opset 8: inputs (sequence_lens, state..., x...) with x shaped (batch, sequence, ...): a scan per batch row. */
    private static List<Tensor> batched(OnnxNode n) {
        if (n.in(0) != null) throw n.unsupported("Scan's sequence_lens input (opset 8)");
        int m = (int) n.attrInt("num_scan_inputs", -1);
        int nStates = n.inputCount() - 1 - m;
        if (m <= 0 || nStates < 0) throw n.error("num_scan_inputs " + m + " does not fit " + n.inputCount()
                + " inputs");
        int[] dirs = n.attrInts("directions", new int[m]);
        int batch = NnRules.knownDim(n, n.required(1), 0);
        List<List<Tensor>> rows = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            Tensor row = Tensors.scalar((long) b);
            List<Tensor> states = new ArrayList<>();
            for (int i = 0; i < nStates; i++) states.add(Ops.gather(n.required(1 + i), row, 0));
            List<Tensor> xs = new ArrayList<>();
            for (int i = 0; i < m; i++) xs.add(Ops.gather(n.required(1 + nStates + i), row, 0));
            rows.add(loop(n, states, xs, new int[m], dirs, new int[0], new int[0]));
        }
        List<Tensor> result = new ArrayList<>();
        for (int k = 0; k < rows.get(0).size(); k++) {
            List<Tensor> perRow = new ArrayList<>();
            for (List<Tensor> r : rows) perRow.add(r.get(k));
            result.add(Ops.stack(perRow, 0));
        }
        return result;
    }

    private static int[] axes(OnnxNode n, String name, List<Tensor> xs) {
        int[] axes = n.attrInts(name, new int[xs.size()]);
        if (axes.length != xs.size()) throw n.error(name + " has " + axes.length + " entries for " + xs.size()
                + " scan inputs");
        for (int i = 0; i < axes.length; i++) {
            int rank = xs.get(i).rank();
            if (axes[i] < -rank || axes[i] >= rank) throw n.error(name + "[" + i + "] = " + axes[i]
                    + " is out of range for rank " + rank);
            if (axes[i] < 0) axes[i] += rank;
        }
        return axes;
    }

    private static int[] outputAxes(OnnxNode n, int nStates) {
        return n.attrInts("scan_output_axes", new int[Math.max(0, n.outputCount() - nStates)]);
    }
}
