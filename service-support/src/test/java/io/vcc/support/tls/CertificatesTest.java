package io.vcc.support.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.MapPropertySource;

class CertificatesTest {

    @TempDir
    Path home;

    private final KeyPair caKeys = Certificates.newKeyPair();
    private final X509Certificate ca = Certificates.authority(caKeys, "test CA", Instant.now(), Duration.ofDays(10));

    @Test
    void aCertificateRequestGivesItsKeyAndTheIssuedCertificateNamesTheHostsForServersAndClients() throws Exception {
        KeyPair node = Certificates.newKeyPair();
        String request = Certificates.certificateRequest(node, "cloud-a");

        assertThat(Certificates.verifiedPublicKey(request)).isEqualTo(node.getPublic());
        X509Certificate issued = Certificates.issue(ca, caKeys.getPrivate(), node.getPublic(), "node-1",
                List.of("vcc-node.cloud-a.example", "10.0.0.7"), Instant.now(), Duration.ofDays(30));
        issued.verify(ca.getPublicKey());
        assertThat(issued.getSubjectAlternativeNames()).extracting(name -> name.get(0) + "=" + name.get(1))
                .containsExactly("2=vcc-node.cloud-a.example", "7=10.0.0.7");
        assertThat(issued.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(issued.getBasicConstraints()).isEqualTo(-1);
    }

    @Test
    void aRequestSignedWithAnotherKeyThanItCarriesIsRefused() throws Exception {
        KeyPair claimed = Certificates.newKeyPair();
        KeyPair signer = Certificates.newKeyPair();
        String forged = Pem.encode(new JcaPKCS10CertificationRequestBuilder(Certificates.name("x"), claimed.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));

        assertThatThrownBy(() -> Certificates.verifiedPublicKey(forged)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("signature");
        assertThatThrownBy(() -> Certificates.verifiedPublicKey("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Certificates.verifiedPublicKey("not pem")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPinMatchesTheCertificatesSha256WrittenAsOpenSslShowsIt() {
        String hex = Certificates.sha256(ca);
        StringBuilder colons = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            colons.append(i == 0 ? "" : ":").append(hex, i, i + 2);
        }
        assertThat(Certificates.matches(colons.toString().toUpperCase(), ca)).isTrue();
        assertThat(Certificates.matches("sha256:" + hex, ca)).isTrue();
        assertThat(Certificates.matches(hex.replace(hex.charAt(0), hex.charAt(0) == 'a' ? 'b' : 'a'), ca)).isFalse();
    }

    @Test
    void theServerMakesItsCaAndCertificateAndANodeAKeyWithAPlaceholderBeforeTheWebServerStarts() {
        StandardEnvironment server = environment(Map.of("vcc.tls.enabled", "true", "vcc.service-name", "vcc-server",
                TlsSetup.AUTHORITY, "true", "vcc.tls.hostnames", "vcc.example"));
        new TlsSetup().postProcessEnvironment(server, new SpringApplication());
        TlsFiles serverFiles = TlsFiles.of(server, new TlsProperties(true, null, null, null, List.of(), "want",
                Duration.ofDays(30), Duration.ofDays(3650), null, null, Duration.ofDays(10), Duration.ofHours(1)));
        X509Certificate serverCa = Pem.certificates(serverFiles.trust()).get(0);
        assertThat(Pem.certificates(serverFiles.certificate())).hasSize(2).element(1).isEqualTo(serverCa);
        assertThat(server.getProperty("server.ssl.bundle")).isEqualTo("vcc");
        assertThat(server.getProperty("spring.ssl.bundle.pem.vcc.reload-on-update")).isEqualTo("true");

        StandardEnvironment node = environment(Map.of("vcc.tls.enabled", "true", "vcc.service-name", "vcc-node",
                "vcc.node.base-url", "https://node.example:8081"));
        new TlsSetup().postProcessEnvironment(node, new SpringApplication());
        Path nodeCertificate = home.resolve("vcc-node/tls/cert.pem");
        X509Certificate placeholder = Pem.certificates(nodeCertificate).get(0);
        assertThat(placeholder.getIssuerX500Principal()).isEqualTo(placeholder.getSubjectX500Principal());
        // a second start keeps the key
        new TlsSetup().postProcessEnvironment(node, new SpringApplication());
        assertThat(Pem.certificates(nodeCertificate).get(0)).isEqualTo(placeholder);
    }

    @Test
    void clientsTrustWhatTheTrustFileHoldsNowNotWhatItHeldWhenTheyWereMade() throws Exception {
        KeyPair keys = Certificates.newKeyPair();
        TlsFiles files = new TlsFiles(home.resolve("key.pem"), home.resolve("cert.pem"), home.resolve("ca.pem"), true);
        Pem.write(files.privateKey(), Pem.encodePrivateKey(keys.getPrivate()), true);
        X509Certificate placeholder = Certificates.selfSigned(keys, "n", List.of("localhost"), Instant.now());
        Pem.write(files.certificate(), Pem.encode(placeholder), false);
        Pem.write(files.trust(), Pem.encode(placeholder), false);
        TlsContexts contexts = new TlsContexts(files);
        X509ExtendedTrustManager trust = new ReloadingTrustManager(contexts);
        X509Certificate server = Certificates.issue(ca, caKeys.getPrivate(), Certificates.newKeyPair().getPublic(), "vcc-server",
                List.of("localhost"), Instant.now(), Duration.ofDays(1));

        assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[] {server, ca}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
        Pem.write(files.trust(), Pem.encode(ca) + "\n", false);
        trust.checkServerTrusted(new X509Certificate[] {server, ca}, "ECDHE_ECDSA");
    }

    @Test
    void anOperatorsOwnCertificateIsServedAsItIsAndNothingIsMadeForIt() {
        KeyPair keys = Certificates.newKeyPair();
        Path own = home.resolve("own");
        Pem.write(own.resolve("key.pem"), Pem.encodePrivateKey(keys.getPrivate()), true);
        Pem.write(own.resolve("cert.pem"), Pem.encode(Certificates.issue(ca, caKeys.getPrivate(), keys.getPublic(), "node",
                List.of("node.example"), Instant.now(), Duration.ofDays(1)), ca), false);
        Pem.write(own.resolve("ca.pem"), Pem.encode(ca), false);
        StandardEnvironment node = environment(Map.of("vcc.tls.enabled", "true", "vcc.service-name", "vcc-node",
                "vcc.tls.certificate", own.resolve("cert.pem").toString(), "vcc.tls.private-key", own.resolve("key.pem").toString(),
                "vcc.tls.trust", own.resolve("ca.pem").toString()));

        new TlsSetup().postProcessEnvironment(node, new SpringApplication());

        assertThat(node.getProperty("spring.ssl.bundle.pem.vcc.keystore.certificate")).isEqualTo("file:" + own.resolve("cert.pem"));
        assertThat(node.getProperty("spring.ssl.bundle.pem.vcc.truststore.certificate")).isEqualTo("file:" + own.resolve("ca.pem"));
        assertThat(home.resolve("vcc-node/tls")).doesNotExist();

        StandardEnvironment withoutKey = environment(Map.of("vcc.tls.enabled", "true", "vcc.service-name", "vcc-node",
                "vcc.tls.certificate", own.resolve("cert.pem").toString()));
        assertThatThrownBy(() -> new TlsSetup().postProcessEnvironment(withoutKey, new SpringApplication()))
                .hasMessageContaining("vcc.tls.private-key");
    }

    private StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        var all = new java.util.HashMap<String, Object>(properties);
        all.put("vcc.home", home.toString());
        environment.getPropertySources().addFirst(new MapPropertySource("test", all));
        return environment;
    }
}
