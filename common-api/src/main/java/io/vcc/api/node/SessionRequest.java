package io.vcc.api.node;

import jakarta.validation.constraints.NotBlank;

/** Login to a node (seed 002, FIG. 14): the credentials the server issued to it. */
public record SessionRequest(@NotBlank String username, @NotBlank String secret) {

    @Override
    public String toString() {
        return "SessionRequest[username=" + username + ", secret=***]";
    }
}
