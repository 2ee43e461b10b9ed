package org.nabla.cli;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.nabla.cli.bench.BenchReport;
import org.nabla.cli.bench.BenchResult;
import org.nabla.cli.bench.BenchRounds;
import org.nabla.cli.bench.Benchmarks;
import org.nabla.cli.bench.GemmShapesBench;
import org.nabla.cli.bench.HalfPrecisionBench;
import org.nabla.cli.bench.Reference;
import org.nabla.cli.bench.Timing;
import org.nabla.cli.bench.TrainStepBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nabla bench}: micro-benchmarks of the CPU kernels and eager dispatch, as a table or JSON. */
@Command(name = "bench", description = "Run micro-benchmarks (sgemm, conv2d, elementwise add, eager dispatch) and "
        + "compare with NumPy/PyTorch on the same machine.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print results as JSON instead of a table.")
    boolean json;

    @Option(names = "--quick", description = "Fewer and shorter repetitions (for smoke tests; numbers are rougher).")
    boolean quick;

    @Option(names = "--no-reference", description = "Skip the NumPy/PyTorch reference measurements.")
    boolean noReference;

    @Option(names = "--only", split = ",", paramLabel = "GROUP",
            description = "Run only these groups: sgemm, conv2d, add, add-dram, scoped, dispatch, train-step, "
                    + "gemm-shapes, half (comma-separated; train-step, gemm-shapes and half run only when named).")
    List<String> only;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "1",
            description = "Repeat everything N times, Nabla and reference alternating, and report medians with each "
                    + "round's ratio (for noisy machines; default: 1).")
    int rounds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Set<String> groups = new LinkedHashSet<>(only == null || only.isEmpty() ? Benchmarks.GROUPS : only);
        boolean trainStep = groups.remove(TrainStepBench.GROUP);
        boolean gemmShapes = groups.remove(GemmShapesBench.GROUP);
        boolean half = groups.remove(HalfPrecisionBench.GROUP);
        for (String g : groups) {
            if (!Benchmarks.GROUPS.contains(g)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown benchmark group '" + g
                        + "'; choose from " + String.join(", ", Benchmarks.GROUPS) + ", " + TrainStepBench.GROUP + ", "
                        + GemmShapesBench.GROUP + ", " + HalfPrecisionBench.GROUP);
            }
        }
        if (rounds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rounds must be at least 1, got " + rounds);
        }
        Timing.Plan plan = quick ? Timing.Plan.QUICK : Timing.Plan.FULL;
        List<List<BenchResult>> each = new java.util.ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            List<BenchResult> round = Benchmarks.run(groups, plan);
            if (!noReference && !groups.isEmpty()) round = Reference.attach(round, groups, quick);
            if (gemmShapes) {
                round = java.util.stream.Stream.concat(round.stream(), GemmShapesBench.run(plan).stream()).toList();
            }
            each.add(round);
        }
        List<BenchResult> rows = BenchRounds.combine(each);
        if (trainStep) rows = java.util.stream.Stream.concat(rows.stream(), TrainStepBench.run(plan).stream()).toList();
        if (half) rows = java.util.stream.Stream.concat(rows.stream(), HalfPrecisionBench.run(plan).stream()).toList();
        String machine = Benchmarks.machine();
        System.out.print(json ? BenchReport.json(rows, machine) : BenchReport.table(rows, machine));
        return 0;
    }
}
