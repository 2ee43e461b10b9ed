package org.nabla.distributed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Throw-away certificates for the TLS tests, made once per test JVM with the JDK's {@code keytool} in a temporary
 * folder (deleted at exit), so no private key is ever checked in: a certificate authority, a task certificate it
 * signed for {@code localhost} / 127.0.0.1 (every test task and client uses it, as a cluster's tasks would share one
 * CA), and a stranger's self-signed certificate that no task trusts. EC P-256 keys, valid for two days. Two keytool
 * runs one after the other, the stranger's beside them.
 *
 * @param ca          the authority's certificate (PEM): every task's {@code --tls-ca}
 * @param cert        the task certificate the authority signed, then the authority's (PEM)
 * @param key         its private key (PKCS#8 PEM)
 * @param strangerCert a self-signed certificate for {@code localhost} (PEM)
 * @param strangerKey its private key
 */
record TestCertificates(Path ca, Path cert, Path key, Path strangerCert, Path strangerKey) {
    private static final String PASSWORD = "test-only";
    private static TestCertificates made;

    /** The certificates, made on first use. */
    static synchronized TestCertificates get() throws IOException {
        if (made == null) made = make(Files.createTempDirectory("nabla-tls-test"));
        return made;
    }

    /** TLS with the task certificate, trusting the authority; mutual TLS when {@code clientAuth}. */
    Security security(boolean clientAuth) { return Security.tls(cert, key, ca).withClientAuth(clientAuth); }

    private static TestCertificates make(Path dir) throws IOException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
        // the stranger beside the authority (each keytool is a JVM start), then the task's key signed by the authority
        Process stranger = keytool(dir, "-genkeypair", "-alias", "stranger", "-keystore", "stranger.p12", "-dname",
                "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1");
        await(keytool(dir, "-genkeypair", "-alias", "ca", "-keystore", "cluster.p12", "-dname", "CN=nabla test CA",
                "-ext", "bc:c"));
        await(keytool(dir, "-genkeypair", "-alias", "task", "-signer", "ca", "-keystore", "cluster.p12", "-dname",
                "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1"));
        await(stranger);
        KeyStore cluster = load(dir.resolve("cluster.p12"));
        KeyStore strangers = load(dir.resolve("stranger.p12"));
        try {
            write(dir.resolve("ca.pem"), "CERTIFICATE", cluster.getCertificate("ca").getEncoded());
            write(dir.resolve("task.pem"), "CERTIFICATE", cluster.getCertificateChain("task"));
            write(dir.resolve("task.key"), "PRIVATE KEY", privateKey(cluster, "task").getEncoded());
            write(dir.resolve("stranger.pem"), "CERTIFICATE", strangers.getCertificate("stranger").getEncoded());
            write(dir.resolve("stranger.key"), "PRIVATE KEY", privateKey(strangers, "stranger").getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot export the test certificates: " + e.getMessage(), e);
        }
        return new TestCertificates(dir.resolve("ca.pem"), dir.resolve("task.pem"), dir.resolve("task.key"),
                dir.resolve("stranger.pem"), dir.resolve("stranger.key"));
    }

    private static Process keytool(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        cmd.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));   // a short run: start fast
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt"));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    }

    private static void await(Process p) throws IOException {
        try {
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool failed: " + p.info().commandLine().orElse("?") + "\n" + out);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making test certificates", e);
        }
    }

    private static KeyStore load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            return ks;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Key privateKey(KeyStore ks, String alias) throws GeneralSecurityException {
        return ks.getKey(alias, PASSWORD.toCharArray());
    }

    private static void write(Path file, String type, byte[] der) throws IOException {
        Files.writeString(file, pem(type, der), StandardCharsets.US_ASCII);
    }

    /** A certificate chain, leaf first, as one PEM file. */
    private static void write(Path file, String type, Certificate[] chain) throws IOException,
            GeneralSecurityException {
        StringBuilder b = new StringBuilder();
        for (Certificate c : chain) b.append(pem(type, c.getEncoded()));
        Files.writeString(file, b, StandardCharsets.US_ASCII);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
