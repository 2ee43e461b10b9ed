package org.nabla.serving;

import java.util.Collections;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which of the numbered version folders under a model's base path are served, as TensorFlow Serving's
 * {@code model_version_policy}: the newest {@code n} (the default is the newest one), all of them, or a fixed list.
 */
public sealed interface VersionPolicy {
    /** The newest {@code n} versions on disk. */
    record Latest(int n) implements VersionPolicy {
        /** Checks {@code n >= 1}. */
        public Latest {
            if (n < 1) throw new IllegalArgumentException("latest { num_versions: " + n + " }: must be >= 1");
        }
    }

    /** Every version on disk. */
    record All() implements VersionPolicy { }

    /** Exactly these versions, when they are on disk. */
    record Specific(Set<Long> versions) implements VersionPolicy {
        /** Copies the set; it must not be empty. */
        public Specific {
            if (versions.isEmpty()) throw new IllegalArgumentException("specific { }: name at least one version");
            versions = Set.copyOf(versions);
        }
    }

    /** The newest version only: TensorFlow Serving's default. */
    static VersionPolicy latest() { return new Latest(1); }

    /** The versions this policy serves out of those {@code onDisk}. */
    default Set<Long> select(NavigableSet<Long> onDisk) {
        return switch (this) {
            case Latest l -> {
                List<Long> newest = onDisk.descendingSet().stream().limit(l.n()).toList();
                yield new TreeSet<>(newest);
            }
            case All a -> Collections.unmodifiableSet(new TreeSet<>(onDisk));
            case Specific s -> {
                TreeSet<Long> chosen = new TreeSet<>(onDisk);
                chosen.retainAll(s.versions());
                yield chosen;
            }
        };
    }
}
