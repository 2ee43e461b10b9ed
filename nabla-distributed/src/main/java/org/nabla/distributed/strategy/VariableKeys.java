package org.nabla.distributed.strategy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nabla.Variable;
import org.nabla.nn.saving.VariableNames;

/**
 * The names variables go by across processes: a variable's name without the suffix that makes it unique in its
 * process ("dense/kernel_7" -> "dense/kernel"), which is the same in every process building the same model; a name
 * that repeats in the list gets "#k" for its k-th repetition, so keys depend only on the names and their order.
 */
final class VariableKeys {
    private VariableKeys() {}

    static List<String> of(List<Variable> vars) {
        List<String> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Variable v : vars) {
            if (v == null) throw new IllegalArgumentException("a variable of the list is null");
            String base = stableName(v.name());
            int k = seen.merge(base, 1, Integer::sum) - 1;
            out.add(k == 0 ? base : base + "#" + k);
        }
        return out;
    }

    static String stableName(String name) { return VariableNames.stable(name); }
}
