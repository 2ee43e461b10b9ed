package org.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void versionSucceedsAndUnknownCommandFails() {
        assertEquals(0, Main.execute("version"));
        assertNotEquals(0, Main.execute("no-such-command"));
    }
}
