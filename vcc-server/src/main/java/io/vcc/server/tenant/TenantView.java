package io.vcc.server.tenant;

import java.time.Instant;
import java.util.UUID;

/**
 * A tenant; {@code name} is also its organization name in every cloud.
 *
 * @param networkQuota how many layer-2 networks the tenant may have, as an admin set it; {@code null}: the
 *                     server's default ({@code vcc.networks.tenant-quota})
 */
public record TenantView(UUID id, String name, String displayName, Integer networkQuota, Instant createdAt) {
}
