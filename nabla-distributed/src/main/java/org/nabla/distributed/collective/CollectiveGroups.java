package org.nabla.distributed.collective;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The collective groups that graph nodes name (TensorFlow's collective executor keeps them per worker): an op's
 * {@code group} attribute is a string, so a traced graph holds no reference to a server; its kernel looks the group up
 * here. Each group also counts the runs of each instance key, so that the n-th run of a node on one task meets the
 * n-th run of the same node on every other task, whichever trace or eager call ran it. Groups are held weakly: a
 * closed server's group goes away with it.
 */
public final class CollectiveGroups {
    private static final AtomicLong NEXT = new AtomicLong();
    private static final Map<CollectiveGroup, String> KEYS = new WeakHashMap<>();
    private static final Map<String, Entry> GROUPS = new ConcurrentHashMap<>();

    private CollectiveGroups() {}

    /** A registered group and the runs of each of its instance keys so far. */
    private record Entry(WeakReference<CollectiveGroup> group, Map<String, AtomicLong> runs) {}

    /** The key naming {@code group} in op attributes (registered on first use; the same key every later call). */
    public static synchronized String keyOf(CollectiveGroup group) {
        if (group == null) throw new IllegalArgumentException("CollectiveGroups.keyOf: group is null");
        String key = KEYS.get(group);
        if (key != null) return key;
        GROUPS.values().removeIf(e -> e.group().get() == null);
        key = "group-" + NEXT.incrementAndGet();
        KEYS.put(group, key);
        GROUPS.put(key, new Entry(new WeakReference<>(group), new ConcurrentHashMap<>()));
        return key;
    }

    /** The group registered under {@code key}; fails naming the key when there is none (its server was closed). */
    static CollectiveGroup get(String key) {
        Entry e = GROUPS.get(key);
        CollectiveGroup g = e == null ? null : e.group().get();
        if (g == null) {
            throw new IllegalStateException("no collective group '" + key + "' in this process (was its server "
                    + "closed?); groups get keys from CollectiveGroups.keyOf");
        }
        return g;
    }

    /** How many runs of {@code instance} in group {@code key} came before this one (0 for the first). */
    static long nextRun(String key, String instance) {
        Entry e = GROUPS.get(key);
        if (e == null) throw new IllegalStateException("no collective group '" + key + "' in this process");
        return e.runs().computeIfAbsent(instance, i -> new AtomicLong()).getAndIncrement();
    }
}
