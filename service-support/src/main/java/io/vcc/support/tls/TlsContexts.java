package io.vcc.support.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What this service's clients use to call other services over TLS: its own key and certificate (presented
 * when asked) and the CAs it trusts. Read from the files again when they change (a renewal, the trust
 * learnt at registration, an operator's new files), so clients made once keep working.
 */
public class TlsContexts {

    private final TlsFiles files;
    private volatile Snapshot snapshot;
    private volatile SSLContext reloading;

    public TlsContexts(TlsFiles files) {
        this.files = files;
    }

    /** No TLS: clients speak plain HTTP. */
    public static TlsContexts disabled() {
        return new TlsContexts(null);
    }

    public boolean enabled() {
        return files != null;
    }

    public TlsFiles files() {
        return files;
    }

    /** What the files hold now, for clients (Netty's) that take keys and certificates rather than a context. */
    public record Snapshot(long stamp, PrivateKey privateKey, List<X509Certificate> chain, List<X509Certificate> trusted,
                           X509ExtendedKeyManager keys, X509ExtendedTrustManager trust) {
    }

    /** The material as the files hold it now; null without TLS. */
    public Snapshot current() {
        if (files == null) {
            return null;
        }
        long stamp = stamp(files.privateKey()) ^ 31 * stamp(files.certificate()) ^ 961 * stamp(files.trust());
        Snapshot known = snapshot;
        if (known != null && known.stamp() == stamp) {
            return known;
        }
        synchronized (this) {
            if (snapshot != null && snapshot.stamp() == stamp) {
                return snapshot;
            }
            snapshot = load(stamp);
            return snapshot;
        }
    }

    /**
     * An SSL context for the JDK's clients; null without TLS. It is always the same one, and reads the files
     * again when they change, so a client made once keeps working across renewals.
     */
    public SSLContext sslContext() {
        if (files == null) {
            return null;
        }
        SSLContext context = reloading;
        if (context == null) {
            synchronized (this) {
                if (reloading == null) {
                    try {
                        reloading = SSLContext.getInstance("TLS");
                        reloading.init(new KeyManager[] {new ReloadingKeyManager(this)},
                                new TrustManager[] {new ReloadingTrustManager(this)}, null);
                    } catch (GeneralSecurityException e) {
                        throw new IllegalStateException(e);
                    }
                }
                context = reloading;
            }
        }
        return context;
    }

    private Snapshot load(long stamp) {
        try {
            PrivateKey key = Pem.privateKey(files.privateKey());
            List<X509Certificate> chain = Pem.certificates(files.certificate());
            List<X509Certificate> trusted = Pem.certificates(files.trust());
            return new Snapshot(stamp, key, chain, trusted, (X509ExtendedKeyManager) keyManagers(key, chain).getKeyManagers()[0],
                    (X509ExtendedTrustManager) trustManagers(trusted).getTrustManagers()[0]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The TLS files under " + files.certificate().getParent() + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** A fixed SSL context: presents {@code key} (none when null) and trusts {@code trusted} only. */
    public static SSLContext sslContext(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trusted)
            throws GeneralSecurityException {
        KeyManagerFactory keys = key == null ? null : keyManagers(key, chain);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trustManagers(trusted).getTrustManagers(), null);
        return context;
    }

    static KeyManagerFactory keyManagers(PrivateKey key, List<X509Certificate> chain) throws GeneralSecurityException {
        KeyStore keyStore = emptyStore();
        keyStore.setKeyEntry("vcc", key, new char[0], chain.toArray(X509Certificate[]::new));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, new char[0]);
        return keys;
    }

    public static TrustManagerFactory trustManagers(List<X509Certificate> trusted) throws GeneralSecurityException {
        KeyStore trustStore = emptyStore();
        for (int i = 0; i < trusted.size(); i++) {
            trustStore.setCertificateEntry("ca-" + i, trusted.get(i));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        return trust;
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static long stamp(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis() * 1_000_003L + Files.size(file);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
