package org.nabla.autograph;

/**
 * How a converted block was left, the first entry of a region's result: AutoGraph's flags for break, continue and
 * early return, carried as an int (eager) or an int32 tensor (a Cond output, when branches leave differently).
 */
final class Exits {
    static final int FALL = 0;
    static final int CONTINUE = 1;
    static final int BREAK = 2;
    static final int RETURN = 3;

    private Exits() {}

    static String name(int code) {
        return switch (code) {
            case FALL -> "falls through";
            case CONTINUE -> "continue";
            case BREAK -> "break";
            case RETURN -> "return";
            default -> "exit " + code;
        };
    }
}
