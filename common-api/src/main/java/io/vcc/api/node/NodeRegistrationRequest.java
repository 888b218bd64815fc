package io.vcc.api.node;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * What a node tells the server about itself at install time (seed 002, FIG. 13); with TLS, also a PEM
 * certificate request (PKCS#10) for the key it serves and calls with, which the server's CA signs.
 */
public record NodeRegistrationRequest(
        @NotBlank String registrationToken,
        @NotBlank @Size(max = 63) @Pattern(regexp = "[a-z0-9][a-z0-9-]*", message = "lower-case letters, digits and dashes") String name,
        @NotNull NodeKind kind,
        @NotNull Visibility visibility,
        @NotBlank @Size(max = 500) String baseUrl,
        @Size(max = 500) String proxy,
        @NotBlank @Size(max = 63) @Pattern(regexp = "[a-z0-9][a-z0-9-]*", message = "lower-case letters, digits and dashes") String cloudName,
        @NotNull CloudType cloudType,
        @Size(max = 500) String cloudUrl,
        Boolean multiTenantCloud,
        @NotNull @Size(max = 32) List<@NotBlank @Size(max = 63) String> services,
        @NotBlank @Size(max = 63) String version,
        @Size(max = 8192) String certificateRequest) {

    public boolean isMultiTenantCloud() {
        return Boolean.TRUE.equals(multiTenantCloud);
    }
}
