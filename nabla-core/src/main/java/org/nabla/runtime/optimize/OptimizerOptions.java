package org.nabla.runtime.optimize;

/**
 * Which optimization passes run, and their limits. {@link #DEFAULT} turns every pass on; {@link #NONE} turns them
 * all off (the optimizer then only copies the graph). Each {@code withX} returns a copy with one switch changed.
 *
 * @param maxFoldedElements constant folding skips a node whose outputs hold more elements than this in total
 * @param maxCseConstantElements constants up to this many elements are deduplicated by value, larger ones only when
 *     they hold the very same tensor
 */
public record OptimizerOptions(boolean constantFolding, boolean commonSubexpressionElimination,
                               boolean deadNodeRemoval, boolean arithmeticSimplification, boolean fusion,
                               long maxFoldedElements, int maxCseConstantElements) {
    public static final OptimizerOptions DEFAULT = new OptimizerOptions(true, true, true, true, true, 10_000_000L,
            1024);
    public static final OptimizerOptions NONE = new OptimizerOptions(false, false, false, false, false, 10_000_000L,
            1024);

    public OptimizerOptions {
        if (maxFoldedElements < 0 || maxCseConstantElements < 0) {
            throw new IllegalArgumentException("optimizer limits must be >= 0, got maxFoldedElements="
                    + maxFoldedElements + ", maxCseConstantElements=" + maxCseConstantElements);
        }
    }

    public OptimizerOptions withConstantFolding(boolean on) {
        return new OptimizerOptions(on, commonSubexpressionElimination, deadNodeRemoval, arithmeticSimplification,
                fusion, maxFoldedElements, maxCseConstantElements);
    }

    public OptimizerOptions withCommonSubexpressionElimination(boolean on) {
        return new OptimizerOptions(constantFolding, on, deadNodeRemoval, arithmeticSimplification, fusion,
                maxFoldedElements, maxCseConstantElements);
    }

    public OptimizerOptions withDeadNodeRemoval(boolean on) {
        return new OptimizerOptions(constantFolding, commonSubexpressionElimination, on, arithmeticSimplification,
                fusion, maxFoldedElements, maxCseConstantElements);
    }

    public OptimizerOptions withArithmeticSimplification(boolean on) {
        return new OptimizerOptions(constantFolding, commonSubexpressionElimination, deadNodeRemoval, on, fusion,
                maxFoldedElements, maxCseConstantElements);
    }

    public OptimizerOptions withFusion(boolean on) {
        return new OptimizerOptions(constantFolding, commonSubexpressionElimination, deadNodeRemoval,
                arithmeticSimplification, on, maxFoldedElements, maxCseConstantElements);
    }

    public OptimizerOptions withMaxFoldedElements(long n) {
        return new OptimizerOptions(constantFolding, commonSubexpressionElimination, deadNodeRemoval,
                arithmeticSimplification, fusion, n, maxCseConstantElements);
    }

    /** Only the named pass on: for testing one pass at a time. */
    public static OptimizerOptions only(String pass) {
        return switch (pass) {
            case "constantFolding" -> NONE.withConstantFolding(true);
            case "commonSubexpressionElimination" -> NONE.withCommonSubexpressionElimination(true);
            case "deadNodeRemoval" -> NONE.withDeadNodeRemoval(true);
            case "arithmeticSimplification" -> NONE.withArithmeticSimplification(true);
            case "fusion" -> NONE.withFusion(true);
            default -> throw new IllegalArgumentException("unknown pass '" + pass + "'; passes: constantFolding, "
                    + "commonSubexpressionElimination, deadNodeRemoval, arithmeticSimplification, fusion");
        };
    }
}
