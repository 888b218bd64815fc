package io.vcc.api.node;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A registered node asks for a new certificate before its own expires: a PEM certificate request (PKCS#10). */
public record CertificateRenewalRequest(@NotBlank @Size(max = 8192) String certificateRequest) {
}
