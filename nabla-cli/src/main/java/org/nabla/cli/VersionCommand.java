package org.nabla.cli;

import java.util.concurrent.Callable;
import org.nabla.cli.bench.Benchmarks;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nabla version}: the Nabla version and the Java runtime it runs on. */
@Command(name = "version", description = "Print the Nabla version and runtime.")
public final class VersionCommand implements Callable<Integer> {
    static final String VERSION = versionFromJar();

    @Override
    public Integer call() {
        System.out.println("Nabla " + VERSION);
        System.out.println("Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")");
        System.out.println("CPU threads for kernels: " + Benchmarks.kernelThreads());
        return 0;
    }

    private static String versionFromJar() {
        String v = VersionCommand.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    /** Supplies {@code nabla --version}. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() { return new String[] {"Nabla " + VERSION}; }
    }
}
