package org.nabla.onnx;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.AttrType;
import org.nabla.ops.Infer;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * ONNX's StringNormalizer as one op (its output length depends on the values, so no composition of fixed-shape ops
 * expresses it): stop words removed from a [C] or [1, C] string tensor (compared case-insensitively unless
 * caseSensitive), then the rest lower- or upper-cased (Unicode, root locale); an empty result is one empty string.
 */
final class StringNormalizerOp implements org.nabla.kernels.OpLibrary {
    /** Made by {@link OnnxLibrary}, which registers this op with nabla-onnx's other ops. */
    StringNormalizerOp() {}

    static final OpDef OP = OpDef.builder("OnnxStringNormalizer").inputs("x", "stopwords")
            .attr("caseChange", AttrType.STRING, "NONE")
            .attr("caseSensitive", AttrType.BOOL, false)
            .shape((in, a) -> {
                String op = "OnnxStringNormalizer";
                Infer.requireDType(op, "x", in[0], DType.STRING);
                Infer.requireDType(op, "stopwords", in[1], DType.STRING);
                Shape s = in[0].shape();
                if (!(s.rank() == 1 || s.rank() == 2 && s.dim(0) == 1)) {
                    throw new OpException(op, "x must be [C] or [1, C], got " + s);
                }
                String c = a.getString("caseChange");
                if (!c.equals("NONE") && !c.equals("LOWER") && !c.equals("UPPER")) {
                    throw new OpException(op, "case_change_action must be NONE, LOWER or UPPER, got " + c);
                }
                return Infer.one(DType.STRING, s.rank() == 1 ? Shape.of(Shape.UNKNOWN) : Shape.of(1, Shape.UNKNOWN));
            })
            .notDifferentiable().internal()
            .summary("ONNX StringNormalizer: stop words removed, then case changed").build();

    @Override
    public java.util.Collection<OpDef> ops() { return java.util.List.of(OP); }

    @Override
    public void registerKernels(KernelRegistry r) {
        r.register(OP, CpuDevice.TYPE, DType.STRING, StringNormalizerOp::run);
    }

    private static Tensor[] run(KernelContext ctx) {
        boolean sensitive = ctx.attrs().getBool("caseSensitive");
        String change = ctx.attrs().getString("caseChange");
        Set<String> stop = new HashSet<>();
        for (String w : ctx.input(1).toStringArray()) stop.add(sensitive ? w : w.toLowerCase(Locale.ROOT));
        List<byte[]> kept = new ArrayList<>();
        for (String s : ctx.input(0).toStringArray()) {
            if (stop.contains(sensitive ? s : s.toLowerCase(Locale.ROOT))) continue;
            String t = switch (change) {
                case "LOWER" -> s.toLowerCase(Locale.ROOT);
                case "UPPER" -> s.toUpperCase(Locale.ROOT);
                default -> s;
            };
            kept.add(t.getBytes(StandardCharsets.UTF_8));
        }
        if (kept.isEmpty()) kept.add(new byte[0]);
        Shape shape = ctx.input(0).rank() == 1 ? Shape.of(kept.size()) : Shape.of(1, kept.size());
        return new Tensor[] {Tensor.wrap(DType.STRING, shape, kept.toArray(byte[][]::new))};
    }
}
