package org.nabla.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nabla} command: one subcommand per task (version, bench; later train, evaluate, predict...). */
@Command(name = "nabla", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Nabla: a deep-learning framework in pure Java.",
        subcommands = {VersionCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Users get one clear line, not a stack trace; NABLA_DEBUG=1 shows the trace.
            cmd.getErr().println("nabla " + cmd.getCommandName() + ": " + e.getMessage());
            if (System.getenv("NABLA_DEBUG") != null) e.printStackTrace(cmd.getErr());
            return 1;
        });
        return cli.execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
