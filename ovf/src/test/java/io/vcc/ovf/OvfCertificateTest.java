package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OvfCertificateTest {

    private final byte[] manifest = ("SHA256(a.ovf)= " + "ab".repeat(32) + "\n").getBytes(StandardCharsets.US_ASCII);

    @Test
    void signatureWrittenAndParsedBackVerifies() {
        OvfCertificate written = OvfSamples.signer().sign("a.mf", manifest);

        OvfCertificate parsed = OvfCertificate.parse(written.toBytes());

        assertThat(parsed).isEqualTo(written);
        assertThat(parsed.manifestName()).isEqualTo("a.mf");
        assertThat(parsed.signer()).isEqualTo(OvfSamples.certificate("signing/signer.crt.pem"));
        assertThatCode(() -> parsed.verify(manifest)).doesNotThrowAnyException();
    }

    @Test
    void fileHasTheVmwareLayout() {
        String text = new String(OvfSamples.signer().sign("a.mf", manifest).toBytes(), StandardCharsets.US_ASCII);

        assertThat(text).matches("(?s)SHA256\\(a\\.mf\\)= [0-9a-f]{512}\n-----BEGIN CERTIFICATE-----\n.*"
                + "-----END CERTIFICATE-----\n");
    }

    @Test
    void aChangedManifestFailsVerification() {
        OvfCertificate certificate = OvfSamples.signer().sign("a.mf", manifest);
        byte[] tampered = manifest.clone();
        tampered[20] ^= 1;

        assertThatThrownBy(() -> certificate.verify(tampered))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
    }

    @Test
    void aSignatureUnderSomeoneElsesCertificateFails() {
        OvfCertificate genuine = OvfSamples.signer().sign("a.mf", manifest);
        OvfCertificate forged = new OvfCertificate(genuine.algorithm(), "a.mf", genuine.signatureHex(),
                List.of(OvfSamples.certificate("signing/other.crt.pem")));

        assertThatThrownBy(() -> forged.verify(manifest))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
    }

    @Test
    void aTruncatedSignatureFails() {
        OvfCertificate genuine = OvfSamples.signer().sign("a.mf", manifest);
        OvfCertificate truncated = new OvfCertificate(genuine.algorithm(), "a.mf",
                genuine.signatureHex().substring(0, 64), genuine.certificates());

        assertThatThrownBy(() -> truncated.verify(manifest))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
    }

    @Test
    void refusesFilesWithoutSignatureLineOrCertificate() {
        String pem = new String(OvfSamples.resource("signing/signer.crt.pem"), StandardCharsets.US_ASCII);

        assertMalformed(pem);
        assertMalformed("SHA256(a.mf)= abcd\n");
        assertMalformed("SHA256(a.mf)= abcd\n-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        assertMalformed("garbage\n" + pem);
    }

    private static void assertMalformed(String text) {
        assertThatThrownBy(() -> OvfCertificate.parse(text.getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOfSatisfying(OvfException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_CERTIFICATE));
    }
}
