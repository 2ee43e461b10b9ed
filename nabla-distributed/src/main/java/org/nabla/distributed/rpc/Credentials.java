package org.nabla.distributed.rpc;

import org.nabla.distributed.Security;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;

/**
 * The gRPC transport credentials {@link Security} asks for: TLS from its PEM files (gRPC's transport-neutral
 * {@link TlsServerCredentials} and {@link TlsChannelCredentials}, which grpc-netty turns into its TLS handlers), or
 * plaintext. A file that cannot be read is the caller's error, naming the file and the option it came from.
 */
public final class Credentials {
    private Credentials() {}

    /** What a server listens with; TLS needs the certificate chain and key. */
    public static ServerCredentials server(Security s, String who) {
        if (!s.tls()) return InsecureServerCredentials.create();
        if (s.certChain() == null) {
            throw new IllegalArgumentException(who + ": TLS is on (--tls-ca) but a server needs its own certificate "
                    + "and key (--tls-cert, --tls-key)");
        }
        TlsServerCredentials.Builder b = TlsServerCredentials.newBuilder();
        try {
            b.keyManager(s.certChain().toFile(), s.privateKey().toFile());
        } catch (IOException e) {
            throw unreadable(who, "certificate chain or private key", s.certChain() + ", " + s.privateKey(), e);
        }
        if (s.trustRoots() != null) {
            try {
                b.trustManager(s.trustRoots().toFile());
            } catch (IOException e) {
                throw unreadable(who, "trust roots (--tls-ca)", s.trustRoots(), e);
            }
        }
        // without client auth a client certificate is neither asked for nor checked: the token (if any) is the check
        b.clientAuth(s.clientAuth() ? TlsServerCredentials.ClientAuth.REQUIRE : TlsServerCredentials.ClientAuth.NONE);
        return b.build();
    }

    /** What a channel connects with: TLS checking the server against the trust roots, presenting our certificate. */
    public static ChannelCredentials channel(Security s, String who) {
        if (!s.tls()) return InsecureChannelCredentials.create();
        TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
        if (s.certChain() != null) {
            try {
                b.keyManager(s.certChain().toFile(), s.privateKey().toFile());
            } catch (IOException e) {
                throw unreadable(who, "certificate chain or private key", s.certChain() + ", " + s.privateKey(), e);
            }
        }
        if (s.trustRoots() != null) {
            try {
                b.trustManager(s.trustRoots().toFile());
            } catch (IOException e) {
                throw unreadable(who, "trust roots (--tls-ca)", s.trustRoots(), e);
            }
        }
        return b.build();
    }

    private static IllegalArgumentException unreadable(String who, String what, Object files, IOException e) {
        return new IllegalArgumentException(who + ": cannot read the TLS " + what + " " + files + ": "
                + e.getMessage(), e);
    }
}
