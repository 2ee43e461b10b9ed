package org.nabla.cli;

import java.nio.file.Path;
import org.nabla.distributed.Security;
import picocli.CommandLine.Option;

/**
 * The TLS and token options of every command that serves or joins a cluster ({@code nabla server}, and any command
 * that opens a distributed session): a picocli mixin, so each command spells them the same way. The token is read
 * from a file or the {@value Security#TOKEN_ENV} environment variable, never given on the command line, where every
 * user of the machine could read it.
 */
final class ClusterSecurityOptions {
    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "This task's certificate chain (PEM); with --tls-key, turns TLS on.")
    Path cert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The private key of --tls-cert (PKCS#8 PEM).")
    Path key;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "The CA certificate(s) (PEM) that signed the cluster's certificates; peers are checked "
                    + "against it.")
    Path ca;

    @Option(names = "--tls-client-auth",
            description = "Mutual TLS: refuse any peer without a certificate signed by --tls-ca.")
    boolean clientAuth;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file holding the cluster's shared token (else the " + Security.TOKEN_ENV + " variable); "
                    + "every call must carry it.")
    Path tokenFile;

    /** These options as command-line arguments (for the servers {@code cluster-local} starts). */
    java.util.List<String> arguments() {
        java.util.List<String> a = new java.util.ArrayList<>();
        if (cert != null) a.addAll(java.util.List.of("--tls-cert", cert.toAbsolutePath().toString()));
        if (key != null) a.addAll(java.util.List.of("--tls-key", key.toAbsolutePath().toString()));
        if (ca != null) a.addAll(java.util.List.of("--tls-ca", ca.toAbsolutePath().toString()));
        if (clientAuth) a.add("--tls-client-auth");
        if (tokenFile != null) a.addAll(java.util.List.of("--token-file", tokenFile.toAbsolutePath().toString()));
        return a;
    }

    /** The settings these options describe. */
    Security security() {
        return Security.of(cert, key, ca, clientAuth, tokenFile, System.getenv(Security.TOKEN_ENV));
    }
}
