package org.nabla.onnx;

import java.util.ArrayList;
import java.util.List;
import org.nabla.Ops;
import org.nabla.Tensor;

/**
 * Einstein summation ({@code "ij,jk->ik"}) composed from Nabla ops: repeated letters within one operand take the
 * diagonal, every operand is laid out over all letters (size-1 axes where it lacks one), the operands are multiplied
 * with broadcasting, and letters absent from the output are summed away. Simple and exact, not the fastest plan.
 */
final class Einsum {
    private Einsum() {}

    static Tensor apply(String equation, List<Tensor> operands, OnnxNode node) {
        String eq = equation.replace(" ", "");
        String[] sides = eq.split("->", -1);
        String[] terms = sides[0].split(",", -1);
        if (terms.length != operands.size()) {
            throw node.error("equation '" + equation + "' has " + terms.length + " operands but the node has "
                    + operands.size() + " inputs");
        }
        String ellipsis = expandEllipses(terms, operands, node, equation);
        String output = sides.length > 1 ? sides[1].replace("...", ellipsis) : ellipsis + implicitOutput(terms);
        if (output.contains(".")) throw node.error("malformed ellipsis in '" + equation + "'");
        StringBuilder all = new StringBuilder();
        for (String t : terms) for (char c : t.toCharArray()) if (all.indexOf(String.valueOf(c)) < 0) all.append(c);
        for (char c : output.toCharArray()) {
            if (all.indexOf(String.valueOf(c)) < 0) throw node.error("output letter '" + c + "' of '" + equation
                    + "' appears in no operand");
        }
        Tensor product = null;
        for (int k = 0; k < terms.length; k++) {
            Tensor x = operands.get(k);
            if (terms[k].length() != x.rank()) {
                throw node.error("operand " + k + " has rank " + x.rank() + " but '" + terms[k] + "' names "
                        + terms[k].length() + " axes");
            }
            StringBuilder letters = new StringBuilder(terms[k]);
            x = diagonals(x, letters);
            Tensor laidOut = layOut(x, letters.toString(), all.toString());
            product = product == null ? laidOut : Ops.mul(product, laidOut);
        }
        List<Integer> summed = new ArrayList<>();
        for (int i = 0; i < all.length(); i++) if (output.indexOf(all.charAt(i)) < 0) summed.add(i);
        Tensor y = summed.isEmpty() ? product
                : Ops.sum(product, false, summed.stream().mapToInt(Integer::intValue).toArray());
        String remaining = all.chars().filter(c -> output.indexOf(c) >= 0)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        int[] perm = new int[output.length()];
        for (int i = 0; i < perm.length; i++) perm[i] = remaining.indexOf(output.charAt(i));
        return isIdentity(perm) ? y : Ops.transpose(y, perm);
    }

    /**
     * Replaces each operand's "..." by letters of its own (fresh characters no equation uses), right-aligned so the
     * broadcast dimensions of all operands share letters; returns the letters of the widest ellipsis.
     */
    private static String expandEllipses(String[] terms, List<Tensor> operands, OnnxNode node, String equation) {
        int widest = 0;
        int[] widths = new int[terms.length];
        for (int k = 0; k < terms.length; k++) {
            if (!terms[k].contains("...")) continue;
            widths[k] = operands.get(k).rank() - (terms[k].length() - 3);
            if (widths[k] < 0) throw node.error("operand " + k + " of rank " + operands.get(k).rank()
                    + " has fewer axes than '" + terms[k] + "' names");
            widest = Math.max(widest, widths[k]);
        }
        StringBuilder fresh = new StringBuilder();
        for (int i = 0; i < widest; i++) fresh.append((char) ('\u0100' + i));
        String all = fresh.toString();
        for (int k = 0; k < terms.length; k++) {
            if (terms[k].contains("...")) terms[k] = terms[k].replace("...", all.substring(widest - widths[k]));
            if (terms[k].contains(".")) throw node.error("malformed ellipsis in '" + equation + "'");
        }
        return all;
    }

    /** Letters appearing once, in alphabetical order (NumPy's implicit mode). */
    private static String implicitOutput(String[] terms) {
        String joined = String.join("", terms);
        StringBuilder out = new StringBuilder();
        joined.chars().filter(c -> c < '\u0100').sorted().distinct()
                .filter(c -> joined.indexOf(c) == joined.lastIndexOf(c))
                .forEach(out::appendCodePoint);
        return out.toString();
    }

    /** Replaces each repeated letter's pair of axes by their diagonal (mask with the identity, sum one axis). */
    private static Tensor diagonals(Tensor x, StringBuilder letters) {
        for (int i = 0; i < letters.length(); i++) {
            int j = letters.indexOf(String.valueOf(letters.charAt(i)), i + 1);
            while (j > 0) {
                int d = x.shape().dim(i);
                int[] maskShape = new int[x.rank()];
                java.util.Arrays.fill(maskShape, 1);
                maskShape[i] = d;
                maskShape[j] = d;
                Tensor eye = Ops.reshape(Ops.eye(d, d, x.dtype()), maskShape);
                x = Ops.sum(Ops.mul(x, eye), false, j);
                letters.deleteCharAt(j);
                j = letters.indexOf(String.valueOf(letters.charAt(i)), i + 1);
            }
        }
        return x;
    }

    /** Transposes {@code x} to the order of {@code all} and inserts size-1 axes for the letters it lacks. */
    private static Tensor layOut(Tensor x, String letters, String all) {
        String ordered = all.chars().filter(c -> letters.indexOf(c) >= 0)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        int[] perm = new int[letters.length()];
        for (int i = 0; i < perm.length; i++) perm[i] = letters.indexOf(ordered.charAt(i));
        if (!isIdentity(perm)) x = Ops.transpose(x, perm);
        for (int i = 0; i < all.length(); i++) if (letters.indexOf(all.charAt(i)) < 0) x = Ops.expandDims(x, i);
        return x;
    }

    private static boolean isIdentity(int[] perm) {
        for (int i = 0; i < perm.length; i++) if (perm[i] != i) return false;
        return true;
    }
}
