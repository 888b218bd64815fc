package io.vcc.support.tls;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes a service serve HTTPS only when {@code vcc.tls.enabled}: before the web server starts, the files it
 * serves with must exist. The server makes its CA (or loads the shared one) and issues itself a certificate;
 * a node that has not registered yet makes its key and serves with a self-signed certificate until the
 * server issues it one at registration. Tomcat serves them as an SSL bundle that reloads when they change,
 * so a renewed certificate takes effect without a restart.
 */
public class TlsSetup implements EnvironmentPostProcessor, Ordered {

    /** Set by the server's application: this service is the CA. */
    public static final String AUTHORITY = "vcc.tls.authority";
    static final String BUNDLE = "vcc";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        TlsProperties properties = Binder.get(environment).bindOrCreate("vcc.tls", TlsProperties.class);
        if (!properties.enabled()) {
            return;
        }
        TlsFiles files = TlsFiles.of(environment, properties);
        if (files.managed()) {
            if (environment.getProperty(AUTHORITY, Boolean.class, false)) {
                prepareServer(files, properties, environment);
            } else {
                prepareNode(files, properties, environment);
            }
        }
        Map<String, Object> ssl = new HashMap<>();
        String prefix = "spring.ssl.bundle.pem." + BUNDLE + ".";
        ssl.put(prefix + "keystore.certificate", "file:" + files.certificate());
        ssl.put(prefix + "keystore.private-key", "file:" + files.privateKey());
        ssl.put(prefix + "truststore.certificate", "file:" + files.trust());
        ssl.put(prefix + "reload-on-update", "true");
        ssl.put("server.ssl.bundle", BUNDLE);
        ssl.put("server.ssl.client-auth", properties.clientAuth());
        environment.getPropertySources().addLast(new MapPropertySource("vcc-tls", ssl));
    }

    private static void prepareServer(TlsFiles files, TlsProperties properties, ConfigurableEnvironment environment) {
        CertificateAuthority authority = authority(files, properties);
        if (files.expiresBefore(Instant.now().plus(properties.renewBefore()))) {
            issueServerCertificate(files, properties, authority);
        }
    }

    /** Where the server's CA files are: {@code vcc.tls.ca-*}, else beside the server's own TLS files. */
    public static CertificateAuthority authority(TlsFiles files, TlsProperties properties) {
        Path directory = files.certificate().getParent();
        Path certificate = blank(properties.caCertificate()) ? directory.resolve("ca.pem") : Path.of(properties.caCertificate());
        Path key = blank(properties.caPrivateKey()) ? directory.resolve("ca-key.pem") : Path.of(properties.caPrivateKey());
        CertificateAuthority authority = CertificateAuthority.loadOrCreate(certificate, key, properties.caValidity());
        if (!files.trust().equals(certificate.toAbsolutePath())) {
            Pem.write(files.trust(), authority.certificatePem(), false);
        }
        return authority;
    }

    /** Issues the server its own certificate (kept key) for localhost, this host's name and {@code vcc.tls.hostnames}. */
    public static void issueServerCertificate(TlsFiles files, TlsProperties properties, CertificateAuthority authority) {
        KeyPair keys = keys(files);
        List<String> hosts = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
        try {
            hosts.add(InetAddress.getLocalHost().getHostName());
        } catch (Exception unknown) {
            // localhost and the configured names still do
        }
        hosts.addAll(properties.hostnames());
        Pem.write(files.certificate(), authority.issue(keys.getPublic(), "vcc-server", Certificates.hosts(hosts),
                properties.validity()), false);
    }

    private static void prepareNode(TlsFiles files, TlsProperties properties, ConfigurableEnvironment environment) {
        KeyPair keys = keys(files);
        if (!Files.exists(files.certificate())) {
            List<String> hosts = new ArrayList<>(List.of("localhost", "127.0.0.1"));
            String baseUrl = environment.getProperty("vcc.node.base-url", "");
            if (!baseUrl.isBlank()) {
                hosts.add(Certificates.host(baseUrl));
            }
            hosts.addAll(properties.hostnames());
            X509Certificate placeholder = Certificates.selfSigned(keys, environment.getProperty("vcc.node.name", "vcc-node"),
                    Certificates.hosts(hosts), Instant.now());
            Pem.write(files.certificate(), Pem.encode(placeholder), false);
        }
        boolean trustGiven = !blank(properties.trust());
        if (!Files.exists(files.trust())) {
            if (trustGiven) {
                throw new IllegalStateException("vcc.tls.trust names " + files.trust() + ", which does not exist");
            }
            // Nothing is trusted yet: the node learns the server's CA at registration.
            Pem.write(files.trust(), Pem.encode(files.leaf()), false);
        }
    }

    /**
     * The service's key pair, made once and kept across renewals; its public half is read from the
     * certificate, which is written right after the key.
     */
    public static KeyPair keys(TlsFiles files) {
        if (Files.exists(files.privateKey()) && Files.exists(files.certificate())) {
            return new KeyPair(files.leaf().getPublicKey(), Pem.privateKey(files.privateKey()));
        }
        // a key without its certificate is of no use to anyone: start again
        KeyPair keys = Certificates.newKeyPair();
        Pem.write(files.privateKey(), Pem.encodePrivateKey(keys.getPrivate()), true);
        return keys;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    @Override
    public int getOrder() {
        // after the configuration files are read
        return Ordered.LOWEST_PRECEDENCE;
    }
}
