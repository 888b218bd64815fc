package io.vcc.support.tls;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Keys, certificate requests and certificates: ECDSA P-256 throughout (small, fast handshakes, understood by
 * the JDK, BoringSSL, OpenSSL and curl). Hosts become subject alternative names, IP addresses as such.
 */
public final class Certificates {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SIGNATURE = "SHA256withECDSA";

    private Certificates() {
    }

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 keys are not available in this JDK", e);
        }
    }

    public static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "vcc").addRDN(BCStyle.CN, commonName).build();
    }

    /** A certificate request for {@code keys}: proves the requester holds the private key; the issuer chooses the rest. */
    public static String certificateRequest(KeyPair keys, String commonName) {
        try {
            PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(name(commonName), keys.getPublic())
                    .build(signer(keys.getPrivate()));
            return Pem.encode(request);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key of a PEM certificate request whose signature holds; anything else is refused. */
    public static PublicKey verifiedPublicKey(String pem) {
        PKCS10CertificationRequest request = Pem.certificateRequest(pem);
        try {
            JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(request);
            PublicKey key = jca.getPublicKey();
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new IllegalArgumentException("the certificate request's signature does not match its key");
            }
            return key;
        } catch (GeneralSecurityException | OperatorCreationException | PKCSException | RuntimeException e) {
            if (e instanceof IllegalArgumentException refused) {
                throw refused;
            }
            throw new IllegalArgumentException("the certificate request cannot be verified: " + e.getMessage(), e);
        }
    }

    /** A self-signed CA certificate that may sign end-entity certificates only. */
    public static X509Certificate authority(KeyPair keys, String commonName, Instant now, Duration validity) {
        try {
            X500Name subject = name(commonName);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minusSeconds(300)),
                    Date.from(now.plus(validity)), subject, keys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return sign(builder, keys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the CA certificate", e);
        }
    }

    /**
     * An end-entity certificate for {@code key} signed by {@code issuer}, for TLS servers and clients alike
     * (a node serves its API and calls its peers with the same certificate).
     */
    public static X509Certificate issue(X509Certificate issuer, PrivateKey issuerKey, PublicKey key, String commonName,
                                        Collection<String> hosts, Instant now, Duration validity) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(now.minusSeconds(300)),
                    Date.from(now.plus(validity)), name(commonName), key);
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(issuer));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(key));
            if (!hosts.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(hosts.stream()
                        .map(host -> new GeneralName(isAddress(host) ? GeneralName.iPAddress : GeneralName.dNSName, host))
                        .toArray(GeneralName[]::new)));
            }
            return sign(builder, issuerKey);
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName, e);
        }
    }

    /** A certificate a node serves with until the server issues it one (nobody trusts it, nothing needs to). */
    public static X509Certificate selfSigned(KeyPair keys, String commonName, Collection<String> hosts, Instant now) {
        X509Certificate placeholder = authority(keys, commonName, now, Duration.ofDays(1));
        return issue(placeholder, keys.getPrivate(), keys.getPublic(), commonName, hosts, now, Duration.ofDays(3650));
    }

    /** SHA-256 of the certificate's DER encoding in hex, as {@code openssl x509 -noout -fingerprint -sha256} shows it (without colons). */
    public static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code pin} (hex, colons and case ignored) is the SHA-256 of {@code certificate}. */
    public static boolean matches(String pin, X509Certificate certificate) {
        String normalized = pin.trim().replaceFirst("^(?i)sha256:", "").replace(":", "").toLowerCase();
        return MessageDigest.isEqual(normalized.getBytes(), sha256(certificate).getBytes());
    }

    /** The host of a base URL, which a certificate for that service must name. */
    public static String host(String url) {
        String host = URI.create(url).getHost();
        if (host == null) {
            throw new IllegalArgumentException(url + " names no host");
        }
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** The names a certificate for {@code hosts} should carry, {@code localhost} kept as given. */
    public static Set<String> hosts(List<String> hosts) {
        Set<String> all = new LinkedHashSet<>();
        for (String host : hosts) {
            if (host != null && !host.isBlank()) {
                all.add(host.trim());
            }
        }
        return all;
    }

    static boolean isAddress(String host) {
        if (host.contains(":")) {
            return true;
        }
        return host.matches("\\d{1,3}(\\.\\d{1,3}){3}") && validAddress(host);
    }

    private static boolean validAddress(String host) {
        try {
            return InetAddress.getByName(host) != null;
        } catch (Exception e) {
            return false;
        }
    }


    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer(key)));
    }

    private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return new JcaContentSignerBuilder(SIGNATURE).build(key);
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

}
