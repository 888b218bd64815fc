package io.vcc.api.node;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The server gives a node a new secret (rotation, or revocation: a secret nobody keeps). */
public record NodeSecretChange(@NotBlank @Size(min = 32, max = 200) String secret) {

    @Override
    public String toString() {
        return "NodeSecretChange[secret=***]";
    }
}
