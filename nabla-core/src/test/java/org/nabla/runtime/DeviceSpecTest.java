package org.nabla.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nabla.device.CpuDevice;
import org.nabla.device.DeviceSpec;

class DeviceSpecTest {
    @Test
    void parsesFullPartialAndLegacyNames() {
        DeviceSpec full = DeviceSpec.parse("/job:localhost/replica:0/task:0/device:CPU:0");
        assertEquals(new DeviceSpec("localhost", 0, 0, "CPU", 0), full);
        assertTrue(full.isFullySpecified());
        assertEquals("/job:localhost/replica:0/task:0/device:CPU:0", full.toString());
        assertEquals(new DeviceSpec(null, -1, -1, "CPU", 1), DeviceSpec.parse("/device:CPU:1"));
        assertEquals(new DeviceSpec("worker", -1, 1, "GPU", 0), DeviceSpec.parse("/job:worker/task:1/device:GPU:0"));
        assertEquals(new DeviceSpec(null, -1, -1, "CPU", 0), DeviceSpec.parse("/cpu:0"));
        assertEquals(new DeviceSpec("ps", -1, 2, "GPU", 3), DeviceSpec.parse("/job:ps/task:2/gpu:3"));
        assertEquals(new DeviceSpec(null, -1, -1, "GPU", -1), DeviceSpec.parse("/device:GPU:*"));
        assertEquals("/device:GPU:*", DeviceSpec.parse("/device:gpu").toString());
        assertSame(DeviceSpec.EMPTY, DeviceSpec.parse(""));
        assertFalse(DeviceSpec.parse("/device:CPU:1").isFullySpecified());
    }

    @Test
    void badNamesFailSayingWhy() {
        assertEquals("cannot parse device name '/device:CPU:x': device index must be a number, got 'x' (expected "
                + "e.g. /job:localhost/replica:0/task:0/device:CPU:0, /device:GPU:1 or /cpu:0)",
                assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse("/device:CPU:x")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse("/foo:bar")).getMessage()
                .contains("unknown part 'foo:bar'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse("/job:a/job:b")).getMessage()
                .contains("job is given twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse("/task:-1")).getMessage()
                .contains("task must be >= 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse("/replica")).getMessage()
                .contains("'replica' is not a name:value part"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse("/device:cpu:0/gpu:1"))
                .getMessage().contains("device type is given twice"));
    }

    @Test
    void mergesAndMatches() {
        DeviceSpec cpu1 = DeviceSpec.parse("/device:CPU:1");
        DeviceSpec merged = cpu1.merge(DeviceSpec.parse("/job:localhost/replica:0/task:0"));
        assertEquals("/job:localhost/replica:0/task:0/device:CPU:1", merged.toString());
        assertEquals(merged, cpu1.withDefaults(DeviceSpec.LOCAL_HOST));
        assertEquals("cannot merge device specs /device:CPU:1 and /device:CPU:0: they name different devices",
                assertThrows(IllegalArgumentException.class, () -> cpu1.merge(DeviceSpec.parse("/cpu:0")))
                        .getMessage());
        assertEquals(DeviceSpec.parse("/device:GPU:0"), DeviceSpec.parse("/device:GPU:0")
                .withDefaults(DeviceSpec.parse("/device:CPU:1")));
        assertTrue(cpu1.matches(CpuDevice.of(1)));
        assertFalse(cpu1.matches(CpuDevice.of(0)));
        assertTrue(DeviceSpec.parse("/job:localhost/device:CPU:*").matches(CpuDevice.of(3)));
        assertFalse(DeviceSpec.parse("/job:worker").matches(CpuDevice.INSTANCE));
        assertSame(CpuDevice.INSTANCE, CpuDevice.of(0));
        assertEquals("/job:localhost/replica:0/task:0/device:CPU:2", CpuDevice.of(2).name());
        assertEquals(2, CpuDevice.of(2).index());
    }
}
