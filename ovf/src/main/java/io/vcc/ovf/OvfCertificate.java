package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;

/**
 * An OVF certificate file ({@code .cert}) in the form VMware's ovftool writes: a line
 * {@code SHA256(package.mf)= <hex signature>} over the manifest's bytes, then the signer's X.509 certificate
 * (and optionally its chain) in PEM.
 *
 * <p>{@link #verify(byte[])} proves the manifest was signed by the key of {@link #signer()}; whether that
 * signer is trusted (chain, validity, revocation) is the caller's policy and not decided here.
 *
 * @param algorithm    digest of the signature ({@code SHA256withRSA} for SHA256 and an RSA key)
 * @param manifestName the manifest file the signature covers
 * @param signatureHex lower-case hex of the signature bytes
 * @param certificates the signer's certificate first, then any chain
 */
public record OvfCertificate(OvfDigestAlgorithm algorithm, String manifestName, String signatureHex,
                             List<X509Certificate> certificates) {

    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";

    public OvfCertificate {
        manifestName = PackagePaths.normalize(manifestName);
        signatureHex = signatureHex.toLowerCase(Locale.ROOT);
        certificates = List.copyOf(certificates);
        if (certificates.isEmpty()) {
            throw new OvfException(Reason.MALFORMED_CERTIFICATE, "certificate file holds no X.509 certificate");
        }
        if (signatureHex.isEmpty() || signatureHex.length() % 2 != 0) {
            throw new OvfException(Reason.MALFORMED_CERTIFICATE, "signature is not whole bytes of hex");
        }
    }

    public static OvfCertificate parse(byte[] certificateFile) {
        String text = OvfManifest.decode(certificateFile, Reason.MALFORMED_CERTIFICATE, "certificate file");
        int pem = text.indexOf(BEGIN);
        if (pem < 0) {
            throw new OvfException(Reason.MALFORMED_CERTIFICATE, "certificate file holds no PEM certificate");
        }
        String signatureLine = text.substring(0, pem).strip();
        if (signatureLine.contains("\n")) {
            throw new OvfException(Reason.MALFORMED_CERTIFICATE, "certificate file has more than a signature line "
                    + "before its certificate");
        }
        Matcher signature = OvfManifest.LINE.matcher(signatureLine);
        if (!signature.matches()) {
            throw new OvfException(Reason.MALFORMED_CERTIFICATE, "certificate file does not start with "
                    + "'ALGORITHM(manifest)= hex signature'");
        }
        OvfDigestAlgorithm algorithm = OvfDigestAlgorithm.ofManifestName(signature.group(1)).orElseThrow(() ->
                new OvfException(Reason.UNSUPPORTED, "signature digest '"
                        + PackagePaths.printable(signature.group(1)) + "' is not supported"));
        return new OvfCertificate(algorithm, signature.group(2).strip(), signature.group(3),
                readCertificates(text.substring(pem)));
    }

    /** The certificate of the key that signed. */
    public X509Certificate signer() {
        return certificates.get(0);
    }

    /**
     * Checks the signature over {@code manifest}, the manifest file's exact bytes.
     *
     * @throws OvfException {@link Reason#BAD_SIGNATURE} when it does not verify
     */
    public void verify(byte[] manifest) {
        PublicKey key = signer().getPublicKey();
        try {
            Signature verifier = Signature.getInstance(signatureAlgorithm(algorithm, key.getAlgorithm()));
            verifier.initVerify(key);
            verifier.update(manifest);
            if (!verifier.verify(HexFormat.of().parseHex(signatureHex))) {
                throw new OvfException(Reason.BAD_SIGNATURE, "the signature over " + manifestName
                        + " does not verify against the certificate of " + signer().getSubjectX500Principal());
            }
        } catch (InvalidKeyException | NoSuchAlgorithmException e) {
            throw new OvfException(Reason.UNSUPPORTED, "cannot verify a " + key.getAlgorithm() + " signature", e);
        } catch (GeneralSecurityException e) {
            // A signature that is not even well-formed for the key is as bad as a wrong one.
            throw new OvfException(Reason.BAD_SIGNATURE, "the signature over " + manifestName + " is invalid: "
                    + e.getMessage(), e);
        }
    }

    /** The certificate file's bytes. */
    public byte[] toBytes() {
        StringBuilder out = new StringBuilder();
        out.append(algorithm.manifestName()).append('(').append(manifestName).append(")= ").append(signatureHex)
                .append('\n');
        Base64.Encoder pem = Base64.getMimeEncoder(64, new byte[] {'\n'});
        for (X509Certificate certificate : certificates) {
            try {
                out.append(BEGIN).append('\n').append(pem.encodeToString(certificate.getEncoded())).append('\n')
                        .append("-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("certificate cannot be encoded", e);
            }
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static String signatureAlgorithm(OvfDigestAlgorithm digest, String keyAlgorithm) {
        String scheme = switch (keyAlgorithm) {
            case "RSA" -> "RSA";
            case "EC" -> "ECDSA";
            default -> throw new OvfException(Reason.UNSUPPORTED, "signing keys of type " + keyAlgorithm
                    + " are not supported; use RSA or EC");
        };
        return digest.manifestName() + "with" + scheme;
    }

    private static List<X509Certificate> readCertificates(String pem) {
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (var certificate : factory.generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                certificates.add((X509Certificate) certificate);
            }
            return certificates;
        } catch (CertificateException | RuntimeException e) {
            throw new OvfException(Reason.MALFORMED_CERTIFICATE, "unreadable X.509 certificate: " + e.getMessage(), e);
        }
    }
}
