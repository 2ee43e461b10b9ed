package org.nabla.nn.saving;

/**
 * Stable keys for variables: a variable's name without the suffix that made it unique in its process
 * ({@code "dense/kernel_7"} -> {@code "dense/kernel"}), so the same model built in another process (or after a
 * restart) finds its values under the same keys in checkpoints and saved models.
 */
public final class VariableNames {
    private VariableNames() {}

    /** {@code name} without a trailing {@code _<digits>} in its last path segment. */
    public static String stable(String name) {
        int slash = name.lastIndexOf('/');
        int us = name.lastIndexOf('_');
        if (us > slash && us < name.length() - 1 && name.substring(us + 1).chars().allMatch(Character::isDigit)) {
            return name.substring(0, us);
        }
        return name;
    }
}
