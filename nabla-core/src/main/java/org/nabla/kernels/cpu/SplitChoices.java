package org.nabla.kernels.cpu;

/**
 * Learns, per parallel call site, whether splitting its work across threads pays: it keeps a running estimate of the
 * call's time run in parallel and run serially (the same chunks, one after another on the caller), takes the faster,
 * and now and then runs the other way to notice when the machine changes. Why: on a virtual machine the host may
 * place the two vCPUs close together or far apart, and that changes over seconds; far apart, a cache line between
 * them costs ~300-450 ns instead of ~70 ns (measured, docs/benchmarks.md), and a small parallel op then runs slower
 * than on one thread. A site is the body's class (one per lambda in the source), the item count and the chunk count.
 *
 * <p>Threading: estimates are plain fields updated without locks. A lost update only makes an estimate a little
 * stale; the choice never changes a result, because both ways run the same chunks.
 */
final class SplitChoices {
    /** Calls between two runs of the losing way, at first and after the choice flips. */
    static final int FIRST_INTERVAL = 8;
    /** The longest wait between two runs of the losing way (it doubles while the choice holds). */
    static final int MAX_INTERVAL = 256;
    /**
     * Calls in a row that try the losing way; only the last one's time counts, because the first ones also pay for
     * moving the site's data between the cores' caches (and for waking a parked worker).
     */
    static final int TRY_CALLS = 3;
    /**
     * Calls whose split run takes at least this long always split, untried: the cores' distance matters for small
     * ops, and the cnn's large products lost when they were tried serially (GEMM shapes share a site, see
     * benchmarks.md).
     */
    static final long ALWAYS_SPLIT_NANOS = 200_000;
    private static final int SLOTS = 1024;

    private final Site[] sites = new Site[SLOTS];

    /** One call site's estimates (nanoseconds per call; negative: not measured yet). */
    static final class Site {
        final Class<?> body;
        final int n;
        final int chunks;
        long parallelNanos = -1;
        long serialNanos = -1;
        int interval = FIRST_INTERVAL;
        int countdown = FIRST_INTERVAL;
        /** Calls left in the current try of the losing way (0: not trying). */
        int trying;

        Site(Class<?> body, int n, int chunks) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
        }

        /** The way that has been faster so far (parallel while either is unmeasured). */
        boolean parallelIsFaster() { return serialNanos < 0 || parallelNanos >= 0 && parallelNanos <= serialNanos; }

        /**
         * Whether this call should run in parallel: the faster way, except for {@link #TRY_CALLS} calls in a row
         * every {@code interval} calls, which run the other way (and at first, until both are measured).
         */
        boolean chooseParallel() {
            if (trying > 0) return !parallelIsFaster();
            if (parallelNanos < 0 || parallelNanos >= ALWAYS_SPLIT_NANOS) return true;
            if (serialNanos < 0) {
                trying = TRY_CALLS;
                return false;
            }
            boolean best = parallelIsFaster();
            if (--countdown > 0) return best;
            trying = TRY_CALLS;
            return !best;
        }

        /** Whether the call being chosen starts a try of the losing way (the caller may prepare for it). */
        boolean tryStarts() { return trying == TRY_CALLS; }

        /**
         * Records the time of a call run as {@link #chooseParallel} said. Of a try only the last call counts. A sample
         * counts at most twice the estimate, so one descheduled call does not flip the choice; a lasting change moves
         * the estimate of the way in use by an eighth per call, a try moves the other's by half.
         */
        void record(boolean parallel, long nanos) {
            if (trying > 0 && --trying > 0) return;
            boolean wasTry = parallel != parallelIsFaster() && parallelNanos >= 0 && serialNanos >= 0;
            boolean bestBefore = parallelIsFaster();
            int shift = wasTry ? 1 : 3; // tries are rare: each moves the estimate halfway
            if (parallel) parallelNanos = blend(parallelNanos, nanos, shift);
            else serialNanos = blend(serialNanos, nanos, shift);
            if (parallelIsFaster() != bestBefore) { // the machine changed: look at the other way again soon
                interval = FIRST_INTERVAL;
                countdown = interval;
            } else if (wasTry) {
                interval = Math.min(MAX_INTERVAL, interval * 2);
                countdown = interval;
            }
        }

        private static long blend(long estimate, long sample, int shift) {
            if (estimate < 0) return sample;
            return estimate + (Math.min(sample, 2 * estimate) - estimate >> shift);
        }
    }

    /** The site of a call (made on first use; a colliding site replaces the older one). */
    Site site(Class<?> body, int n, int chunks) {
        int h = System.identityHashCode(body) * 0x9E3779B1 + n * 31 + chunks;
        int slot = (h ^ h >>> 16) & (SLOTS - 1);
        Site s = sites[slot];
        if (s == null || s.body != body || s.n != n || s.chunks != chunks) {
            s = new Site(body, n, chunks);
            sites[slot] = s; // final fields: safe to publish by a plain store
        }
        return s;
    }
}
