package org.nabla.distributed;

import java.io.IOException;
import java.nio.file.Path;
import org.nabla.io.TextFiles;

/**
 * Who may talk to a cluster's tasks: TLS on every gRPC connection (PEM files) and a shared token on every call, each
 * optional ({@link #none()}: plaintext, no token). Every task and client of a cluster uses the same settings.
 * Immutable; {@link #toString()} never shows the token.
 *
 * <ul>
 *   <li>TLS is on when a certificate chain or trust roots are given. A server needs {@code certChain} and
 *       {@code privateKey} (PKCS#8 PEM, {@code BEGIN PRIVATE KEY}); a client checks the server's certificate against
 *       {@code trustRoots} (the JDK's default roots when null) and the host name of the address it calls.</li>
 *   <li>{@code clientAuth} (mutual TLS): a server refuses any peer without a certificate that {@code trustRoots}
 *       signed; each task presents its own {@code certChain} when it calls another.</li>
 *   <li>{@code token}: every RPC carries {@code authorization: Bearer <token>} and every server refuses a call
 *       without the same one (UNAUTHENTICATED); the ring all-reduce's data connections carry it in their hello.</li>
 * </ul>
 *
 * @param certChain  this process's certificate chain (PEM), or null
 * @param privateKey the private key of {@code certChain} (PKCS#8 PEM), or null
 * @param trustRoots the certificates of the authority that signed the cluster's certificates (PEM), or null
 * @param clientAuth servers require a client certificate signed by {@code trustRoots}
 * @param token      the shared secret every call carries, or null
 */
public record Security(Path certChain, Path privateKey, Path trustRoots, boolean clientAuth, String token) {
    /** The environment variable a token may come from when no token file is given. */
    public static final String TOKEN_ENV = "NABLA_TOKEN";
    /** The longest token accepted (it travels in an HTTP/2 header). */
    public static final int MAX_TOKEN_CHARS = 512;

    public Security {
        if ((certChain == null) != (privateKey == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate chain (--tls-cert) and its private key "
                    + "(--tls-key), got only the " + (certChain == null ? "key" : "certificate"));
        }
        if (clientAuth && (trustRoots == null || certChain == null)) {
            throw new IllegalArgumentException("client authentication (--tls-client-auth) needs the CA that signed "
                    + "the clients' certificates (--tls-ca) and this task's own certificate and key (--tls-cert, "
                    + "--tls-key)");
        }
        if (token != null) checkToken(token, "the token");
    }

    /**
     * What the command-line options ask for ({@code nabla server} and every command that joins a cluster):
     * {@code --tls-cert}, {@code --tls-key}, {@code --tls-ca}, {@code --tls-client-auth}, {@code --token-file};
     * without a token file, {@code tokenEnv} (the value of {@link #TOKEN_ENV}, or null) is the token. A token is never
     * an option's value: command lines are visible to every user of the machine.
     */
    public static Security of(Path cert, Path key, Path ca, boolean clientAuth, Path tokenFile, String tokenEnv) {
        Security s = new Security(cert, key, ca, clientAuth, null);
        if (tokenFile != null) return s.withTokenFile(tokenFile);
        if (tokenEnv != null && !tokenEnv.isBlank()) {
            checkToken(tokenEnv.strip(), "the token in " + TOKEN_ENV);
            return s.withToken(tokenEnv.strip());
        }
        return s;
    }

    /** Plaintext, no token. */
    public static Security none() { return new Security(null, null, null, false, null); }

    /**
     * TLS with this process's certificate chain and key (null both: a client without a certificate) and the trust
     * roots servers' certificates must chain to (null: the JDK's default roots).
     */
    public static Security tls(Path certChain, Path privateKey, Path trustRoots) {
        return new Security(certChain, privateKey, trustRoots, false, null);
    }

    /** The same, with servers requiring client certificates signed by the trust roots (mutual TLS). */
    public Security withClientAuth(boolean on) {
        return new Security(certChain, privateKey, trustRoots, on, token);
    }

    /** The same, with every call carrying {@code token} (null: none). */
    public Security withToken(String t) { return new Security(certChain, privateKey, trustRoots, clientAuth, t); }

    /** The same, with the token read from {@code file} (its first line; surrounding white space is dropped). */
    public Security withTokenFile(Path file) {
        String text;
        try {
            text = TextFiles.readUtf8(file).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the token file " + file + ": " + e.getMessage(), e);
        }
        checkToken(text, "the token in " + file);
        return withToken(text);
    }

    /** Whether connections use TLS. */
    public boolean tls() { return certChain != null || trustRoots != null; }

    /** Whether calls carry a token. */
    public boolean hasToken() { return token != null; }

    /** Says which protections are on, never the token itself. */
    @Override
    public String toString() {
        if (!tls() && token == null) return "Security[none]";
        return "Security[" + (tls() ? "tls cert=" + certChain + " key=" + privateKey + " ca=" + trustRoots
                + (clientAuth ? " client-auth" : "") : "no tls") + (token != null ? ", token set" : ", no token")
                + "]";
    }

    private static void checkToken(String t, String what) {
        // the message never shows the token: it is a secret, and error messages end up in logs
        if (t.isEmpty()) throw new IllegalArgumentException(what + " is empty");
        if (t.length() > MAX_TOKEN_CHARS) {
            throw new IllegalArgumentException(what + " is " + t.length() + " characters long, more than "
                    + MAX_TOKEN_CHARS);
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException(what + " has a character that is not visible ASCII at position "
                        + i + " (a token is letters, digits and punctuation, no spaces)");
            }
        }
    }
}
