package org.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void versionSucceedsAndUnknownCommandFails() {
        assertEquals(0, Main.execute("version"));
        assertNotEquals(0, Main.execute("no-such-command"));
    }

    /** A named command gets only its own subcommand built (start-up); usage, help and typos see every command. */
    @Test
    void onlyTheNamedSubcommandIsBuiltUnlessAllAreNeeded() {
        assertEquals(List.of("train"), List.copyOf(Main.commandLine("train", "--epochs", "1").getSubcommands().keySet()));
        int all = Main.COMMANDS.size();
        assertEquals(all, Main.commandLine().getSubcommands().size());
        assertEquals(all, Main.commandLine("help", "train").getSubcommands().size());
        assertEquals(all, Main.commandLine("trian").getSubcommands().size());
        assertEquals(all, Main.commandLine("--help").getSubcommands().size());
        assertEquals(0, Main.execute("help", "train"));
        assertEquals(0, Main.execute("train", "--help"));
    }
}
