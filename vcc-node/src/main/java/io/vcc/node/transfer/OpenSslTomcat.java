package io.vcc.node.transfer;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.SSLUtil;
import org.apache.tomcat.util.net.jsse.JSSEImplementation;
import org.apache.tomcat.util.net.jsse.JSSEUtil;

/**
 * The node's Tomcat encrypting with BoringSSL (netty-tcnative, which the node's peer client already uses) instead
 * of the JDK's engine. On Java 17 the JDK's AES-GCM runs at a third of BoringSSL's speed, and Tomcat is what sends a
 * pulled package and receives a pushed one, so with the JDK's engine TLS halved a transfer (Tomcat's own OpenSSL
 * needs tomcat-native or Java 22's FFM). Only the engine changes: the key and trust managers are Tomcat's own from
 * the reloading SSL bundle, and Tomcat still sets client authentication, protocols and ciphers on every engine.
 * Named in the connector's {@code sslImplementationName} (see {@link TransferConfiguration}), so Tomcat makes it.
 */
public final class OpenSslTomcat extends JSSEImplementation {

    /** TLS 1.3 and the forward-secret AEAD suites of TLS 1.2, as BoringSSL has them. */
    private static final String[] CIPHERS = Stream.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                    "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")
            .filter(suite -> suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_") || OpenSsl.isCipherSuiteAvailable(suite)
                    || OpenSsl.availableJavaCipherSuites().contains(suite))
            .toArray(String[]::new);

    /** Whether BoringSSL loads on this machine; otherwise Tomcat keeps the JDK's engine. */
    static boolean available() {
        return OpenSsl.isAvailable();
    }

    @Override
    public SSLUtil getSSLUtil(SSLHostConfigCertificate certificate) {
        return new JSSEUtil(certificate) {
            @Override
            public org.apache.tomcat.util.net.SSLContext createSSLContextInternal(List<String> negotiableProtocols) {
                return new Context();
            }

            @Override
            public String[] getEnabledCiphers() {
                return CIPHERS.clone();
            }
        };
    }

    /** Tomcat's view of a BoringSSL server context. */
    private static final class Context implements org.apache.tomcat.util.net.SSLContext {
        private volatile SslContext netty;
        private volatile X509KeyManager keys;
        private volatile X509TrustManager trust;

        @Override
        public void init(KeyManager[] kms, TrustManager[] tms, SecureRandom sr) throws KeyManagementException {
            keys = Arrays.stream(kms == null ? new KeyManager[0] : kms).filter(X509KeyManager.class::isInstance)
                    .map(X509KeyManager.class::cast).findFirst()
                    .orElseThrow(() -> new KeyManagementException("No X.509 key manager to serve TLS with"));
            trust = Arrays.stream(tms == null ? new TrustManager[0] : tms).filter(X509TrustManager.class::isInstance)
                    .map(X509TrustManager.class::cast).findFirst().orElse(null);
            try {
                SslContextBuilder builder = SslContextBuilder.forServer(keys).sslProvider(SslProvider.OPENSSL);
                if (trust != null) {
                    builder.trustManager(trust);
                }
                netty = builder.build();
            } catch (SSLException e) {
                throw new KeyManagementException("BoringSSL refused the node's TLS material: " + e.getMessage(), e);
            }
        }

        @Override
        public void destroy() {
            // the engines free their native state when Tomcat closes them; the context has nothing to release
        }

        @Override
        public SSLSessionContext getServerSessionContext() {
            return netty.sessionContext();
        }

        @Override
        public SSLEngine createSSLEngine() {
            return netty.newEngine(ByteBufAllocator.DEFAULT);
        }

        @Override
        public SSLServerSocketFactory getServerSocketFactory() {
            throw new UnsupportedOperationException("Tomcat's NIO connector works with engines, not server sockets");
        }

        @Override
        public SSLParameters getSupportedSSLParameters() {
            return new SSLParameters(CIPHERS.clone(), new String[] {"TLSv1.2", "TLSv1.3"});
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return trust == null ? new X509Certificate[0] : trust.getAcceptedIssuers();
        }
    }
}
