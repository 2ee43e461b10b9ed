package org.nabla.device;

import java.util.Locale;

/**
 * A device name, possibly partial, in TensorFlow syntax: {@code /job:worker/replica:0/task:1/device:GPU:0}. Any field
 * may be missing ({@code /device:CPU:1}, {@code /job:ps}); the legacy lowercase form {@code /cpu:0} is accepted and
 * normalised to {@code /device:CPU:0}. Missing fields are null (or -1 for numbers); {@code *} as the device index means
 * "any". Used by the placer to match requested devices against the devices a session has.
 */
public record DeviceSpec(String job, int replica, int task, String type, int index) {
    /** The device a single-process session uses when nothing else is asked for. */
    public static final DeviceSpec LOCAL_HOST = new DeviceSpec("localhost", 0, 0, null, -1);
    /** No field set. */
    public static final DeviceSpec EMPTY = new DeviceSpec(null, -1, -1, null, -1);

    public DeviceSpec {
        if (job != null && (job.isEmpty() || !job.matches("[A-Za-z0-9_.-]+"))) {
            throw new IllegalArgumentException("device spec: bad job name '" + job + "'");
        }
        if (type != null && (type.isEmpty() || !type.matches("[A-Z][A-Z0-9_]*"))) {
            throw new IllegalArgumentException("device spec: bad device type '" + type + "' (expected e.g. CPU, GPU)");
        }
        if (replica < -1 || task < -1 || index < -1) {
            throw new IllegalArgumentException("device spec: negative replica/task/index");
        }
    }

    /**
     * Parses a full or partial name; "" gives {@link #EMPTY}. Errors name the part that does not parse and show the
     * accepted forms.
     */
    public static DeviceSpec parse(String name) {
        if (name == null) throw new IllegalArgumentException("device spec: name is null");
        String s = name.strip();
        if (s.isEmpty()) return EMPTY;
        String job = null;
        String type = null;
        int replica = -1;
        int task = -1;
        int index = -1;
        String body = s.startsWith("/") ? s.substring(1) : s;
        String[] parts = body.split("/", -1);
        for (String p : parts) {
            String[] kv = p.split(":", -1);
            String key = kv[0].toLowerCase(Locale.ROOT);
            if (key.equals("device") && kv.length >= 2 && kv.length <= 3) {
                type = checkUnset(type, kv[1].toUpperCase(Locale.ROOT), "device type", name);
                if (kv.length == 3) index = checkUnset(index, parseIndex(kv[2], name), "device index", name);
            } else if ((key.equals("cpu") || key.equals("gpu")) && kv.length == 2) {
                type = checkUnset(type, key.toUpperCase(Locale.ROOT), "device type", name);
                index = checkUnset(index, parseIndex(kv[1], name), "device index", name);
            } else if (!key.equals("job") && !key.equals("replica") && !key.equals("task")) {
                throw bad(name, "unknown part '" + p + "'");
            } else if (kv.length != 2 || kv[1].isEmpty()) {
                throw bad(name, "'" + p + "' is not a name:value part");
            } else if (key.equals("job")) {
                job = checkUnset(job, kv[1], "job", name);
            } else if (key.equals("replica")) {
                replica = checkUnset(replica, parseNumber(kv[1], "replica", name), "replica", name);
            } else {
                task = checkUnset(task, parseNumber(kv[1], "task", name), "task", name);
            }
        }
        try {
            return new DeviceSpec(job, replica, task, type, index);
        } catch (IllegalArgumentException e) {
            throw bad(name, e.getMessage().substring("device spec: ".length()));
        }
    }

    private static int parseIndex(String v, String name) {
        return v.equals("*") ? -1 : parseNumber(v, "device index", name);
    }

    private static int parseNumber(String v, String what, String name) {
        try {
            int n = Integer.parseInt(v);
            if (n < 0) throw bad(name, what + " must be >= 0, got " + v);
            return n;
        } catch (NumberFormatException e) {
            throw bad(name, what + " must be a number, got '" + v + "'");
        }
    }

    private static <T> T checkUnset(T old, T value, String what, String name) {
        if (old != null && !(old instanceof Integer i && i == -1)) throw bad(name, what + " is given twice");
        return value;
    }

    private static IllegalArgumentException bad(String name, String why) {
        return new IllegalArgumentException("cannot parse device name '" + name + "': " + why + " (expected e.g. "
                + "/job:localhost/replica:0/task:0/device:CPU:0, /device:GPU:1 or /cpu:0)");
    }

    /** The spec of a concrete device. */
    public static DeviceSpec of(Device device) { return parse(device.name()); }

    /** True when every field is set (a name a device can have). */
    public boolean isFullySpecified() {
        return job != null && replica >= 0 && task >= 0 && type != null && index >= 0;
    }

    /**
     * The job, replica and task of this spec, without the device type and index: the process a device lives in
     * (TensorFlow's "address space"). {@code /job:worker/replica:0/task:1/device:CPU:0} gives
     * {@code /job:worker/replica:0/task:1}.
     */
    public DeviceSpec addressSpace() { return new DeviceSpec(job, replica, task, null, -1); }

    /** Fields set here are kept, missing ones come from {@code defaults}. */
    public DeviceSpec withDefaults(DeviceSpec defaults) {
        return new DeviceSpec(job != null ? job : defaults.job, replica >= 0 ? replica : defaults.replica,
                task >= 0 ? task : defaults.task, type != null ? type : defaults.type,
                index >= 0 ? index : defaults.index);
    }

    /** Both specs together; a field set differently in the two is an error naming both. */
    public DeviceSpec merge(DeviceSpec other) {
        boolean conflict = job != null && other.job != null && !job.equals(other.job)
                || replica >= 0 && other.replica >= 0 && replica != other.replica
                || task >= 0 && other.task >= 0 && task != other.task
                || type != null && other.type != null && !type.equals(other.type)
                || index >= 0 && other.index >= 0 && index != other.index;
        if (conflict) {
            throw new IllegalArgumentException("cannot merge device specs " + this + " and " + other
                    + ": they name different devices");
        }
        return withDefaults(other);
    }

    /** True when {@code device}'s full name agrees with every field set here. */
    public boolean matches(Device device) {
        DeviceSpec d = of(device);
        return (job == null || job.equals(d.job)) && (replica < 0 || replica == d.replica)
                && (task < 0 || task == d.task) && (type == null || type.equals(d.type))
                && (index < 0 || index == d.index);
    }

    /** The name in canonical form, with only the fields that are set ("" when none is). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (job != null) sb.append("/job:").append(job);
        if (replica >= 0) sb.append("/replica:").append(replica);
        if (task >= 0) sb.append("/task:").append(task);
        if (type != null) sb.append("/device:").append(type).append(':').append(index >= 0 ? "" + index : "*");
        return sb.toString();
    }
}
