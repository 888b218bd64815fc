package io.vcc.api.node;

import jakarta.validation.constraints.NotNull;

public record PowerRequest(@NotNull PowerState state) {
}
