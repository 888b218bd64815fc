package io.vcc.node.transfer;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.vcc.support.tls.TlsContexts;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * TLS for the connections that stream package files to and from peers: BoringSSL (netty-tcnative) where it
 * loads, the JDK's engine otherwise. This node presents its certificate and checks the peer's against the
 * CAs it trusts and against the peer's host name. Rebuilt when the files change (a renewal).
 */
@Component
class PeerTls {

    private static final Logger log = LoggerFactory.getLogger(PeerTls.class);

    private final TlsContexts tls;
    private volatile long stamp = Long.MIN_VALUE;
    private volatile SslContext context;

    PeerTls(TlsContexts tls) {
        this.tls = tls;
        if (tls.enabled()) {
            log.info("Transfers between nodes use TLS through {}", OpenSsl.isAvailable()
                    ? "BoringSSL (" + OpenSsl.versionString() + ")" : "the JDK's engine (" + OpenSsl.unavailabilityCause() + ")");
        }
    }

    boolean enabled() {
        return tls.enabled();
    }

    /** For the JDK client's small calls to peers (sessions, offsets); null without TLS. */
    javax.net.ssl.SSLContext jdkContext() {
        return tls.sslContext();
    }

    SslHandler handler(ByteBufAllocator allocator, String host, int port) {
        SslHandler handler = context().newHandler(allocator, host, port);
        return handler;
    }

    private SslContext context() {
        TlsContexts.Snapshot current = tls.current();
        if (context == null || current.stamp() != stamp) {
            synchronized (this) {
                if (context == null || current.stamp() != stamp) {
                    context = build(current);
                    stamp = current.stamp();
                }
            }
        }
        return context;
    }

    private static SslContext build(TlsContexts.Snapshot material) {
        try {
            return SslContextBuilder.forClient()
                    .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                    .keyManager(material.privateKey(), material.chain().toArray(X509Certificate[]::new))
                    .trustManager(material.trusted().toArray(X509Certificate[]::new))
                    .endpointIdentificationAlgorithm("HTTPS")
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("Cannot set up TLS for transfers: " + e.getMessage(), e);
        }
    }
}
