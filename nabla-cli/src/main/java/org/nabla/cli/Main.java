package org.nabla.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nabla} command: one subcommand per task (train, evaluate, predict, summary, graph, import, export,
 * onnx-test, version, bench, bench-train, server).
 */
@Command(name = "nabla", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Nabla: a deep-learning framework in pure Java.")
public final class Main implements Runnable {
    /** The subcommands, in the order the usage lists them. */
    static final List<Class<?>> COMMANDS = List.of(TrainCommand.class, EvaluateCommand.class, PredictCommand.class,
            SummaryCommand.class, GraphCommand.class, ImportCommand.class, ExportCommand.class,
            OnnxTestCommand.class, VersionCommand.class, BenchCommand.class, BenchTrainCommand.class,
            ServeCommand.class, ServerCommand.class, BenchDistributedCommand.class, ClusterLocalCommand.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        return execute(commandLine(args), args);
    }

    /**
     * The nabla command for {@code args}: with only the subcommand that {@code args[0]} names, when it names one
     * other than help, since picocli reads the annotations of every subcommand it is given and that is most of a
     * short command's start-up (about 0.1 s); with all of them otherwise (usage, help, a misspelt command's hints).
     */
    static CommandLine commandLine(String... args) {
        CommandLine cli = new CommandLine(new Main());
        Class<?> named = args.length == 0 ? null
                : COMMANDS.stream().filter(c -> isNamed(c, args[0])).findFirst().orElse(null);
        for (Class<?> command : named != null ? List.<Class<?>>of(named) : COMMANDS) cli.addSubcommand(command);
        return cli;
    }

    private static boolean isNamed(Class<?> command, String name) {
        return command != CommandLine.HelpCommand.class && command.getAnnotation(Command.class).name().equals(name);
    }

    /** Runs {@code cli} (the nabla command, or a test's) with the command boundary's error handling. */
    static int execute(CommandLine cli, String... args) {
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Users get one clear line, not a stack trace; NABLA_DEBUG=1 shows the trace.
            cmd.getErr().println("nabla " + cmd.getCommandName() + ": " + message(e));
            if (System.getenv("NABLA_DEBUG") != null) e.printStackTrace(cmd.getErr());
            return 1;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli passes Errors through; this one has a remedy the user can apply. Whatever held the memory is
            // unreachable by now, so printing works.
            String command = cli.getParseResult() != null && cli.getParseResult().subcommand() != null
                    ? cli.getParseResult().subcommand().commandSpec().name() : cli.getCommandName();
            cli.getErr().println("nabla " + command + ": " + outOfMemoryMessage(e));
            if (System.getenv("NABLA_DEBUG") != null) e.printStackTrace(cli.getErr());
            return 1;
        }
    }

    /** What to do about an OutOfMemoryError: the JVM's reason, the heap limit it hit and how to raise it. */
    static String outOfMemoryMessage(OutOfMemoryError e) {
        long maxMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        return "out of memory (" + (e.getMessage() == null ? "OutOfMemoryError" : e.getMessage()) + ") with a "
                + "maximum heap of " + maxMb + " MB: give the JVM more memory, e.g. NABLA_JAVA_OPTS=-Xmx"
                + Math.max(2, 2 * Math.ceilDiv(maxMb, 1024)) + "g ./nabla ... (java -Xmx... when running the jar "
                + "yourself), or use smaller inputs (--batch-size, fewer images)";
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
