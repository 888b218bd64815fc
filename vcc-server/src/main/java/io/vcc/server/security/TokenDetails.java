package io.vcc.server.security;

import java.util.UUID;

/** What a request authenticated by an API token carries besides its user: which token it was. */
record TokenDetails(UUID tokenId) {
}
