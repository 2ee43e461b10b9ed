package org.nabla.distributed.rpc;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The shared-token check of every RPC of every service of a server ({@link #server}), and the header every call of
 * a client carries ({@link #client}): {@code authorization: Bearer <token>}, as OAuth bearer tokens travel. A call
 * without the header, or with another token, is closed with UNAUTHENTICATED before any service sees it; the message
 * names the task that refused it and never the token.
 */
public final class TokenCheck implements ServerInterceptor {
    /** The header the token travels in. */
    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";

    private final byte[] expected;
    private final String task;

    private TokenCheck(String token, String task) {
        this.expected = (BEARER + token).getBytes(StandardCharsets.US_ASCII);
        this.task = task;
    }

    /** The check for a server of {@code task} (named in refusals) whose callers must carry {@code token}. */
    public static ServerInterceptor server(String token, String task) { return new TokenCheck(token, task); }

    /** What adds {@code token} to every call of a channel. */
    public static ClientInterceptor client(String token) {
        Metadata m = new Metadata();
        m.put(AUTHORIZATION, BEARER + token);
        return MetadataUtils.newAttachHeadersInterceptor(m);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String given = headers.get(AUTHORIZATION);
        if (given != null && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.US_ASCII))) {
            return next.startCall(call, headers);
        }
        // isEqual's time depends on the expected length alone, not on where the bytes differ: the answer's timing
        // tells a guesser nothing about the token
        String why = given == null ? "the call carries no token" : "the call's token is not this cluster's";
        call.close(Status.UNAUTHENTICATED.withDescription(task + " refused " + call.getMethodDescriptor()
                .getFullMethodName() + ": " + why + " (give the cluster's token: --token-file, or "
                + "Security.withToken)"), new Metadata());
        return new ServerCall.Listener<>() { };
    }
}
