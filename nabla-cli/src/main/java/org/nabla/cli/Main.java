package org.nabla.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nabla} command: one subcommand per task (train, evaluate, predict, summary, graph, import, export,
 * onnx-test, version, bench, bench-train, server).
 */
@Command(name = "nabla", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Nabla: a deep-learning framework in pure Java.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, SummaryCommand.class,
                GraphCommand.class, ImportCommand.class, ExportCommand.class, OnnxTestCommand.class,
                VersionCommand.class, BenchCommand.class, BenchTrainCommand.class, ServerCommand.class,
                BenchDistributedCommand.class, ClusterLocalCommand.class,
                CommandLine.HelpCommand.class})
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
            cmd.getErr().println("nabla " + cmd.getCommandName() + ": " + message(e));
            if (System.getenv("NABLA_DEBUG") != null) e.printStackTrace(cmd.getErr());
            return 1;
        });
        return cli.execute(args);
    }

    /** The user-facing text of a failure: its message (the cause's when it only wraps one), never just "null". */
    static String message(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().equals(t.getCause().toString()))) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (t instanceof java.nio.file.NoSuchFileException nf && (m == null || m.equals(nf.getFile()))) {
            return nf.getFile() + ": no such file";
        }
        if (t instanceof java.nio.file.AccessDeniedException ad && (m == null || m.equals(ad.getFile()))) {
            return ad.getFile() + ": permission denied";
        }
        if (m == null || m.isBlank()) return t.getClass().getSimpleName() + " (NABLA_DEBUG=1 shows the stack trace)";
        return m;
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
