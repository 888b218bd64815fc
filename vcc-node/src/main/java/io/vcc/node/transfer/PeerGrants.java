package io.vcc.node.transfer;

import io.vcc.api.node.SessionResponse;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.PackageFile;
import io.vcc.api.transfer.PeerGrant;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Per-transfer peer credentials and the sessions opened with them. A grant (stored hashed, so it outlives
 * a restart of this node) lets one peer log in for one transfer; its session token opens only that
 * transfer's {@code /node/v1/packages/{transferId}/...} and nothing else of the node API.
 */
@Component
class PeerGrants {

    private static final JsonMapper JSON = JsonMapper.shared();

    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;
    private final TransferProperties properties;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, PeerSession> sessions = new ConcurrentHashMap<>();

    PeerGrants(JdbcClient jdbc, PasswordEncoder encoder, TransferProperties properties, ObjectProvider<Clock> clock) {
        this.jdbc = jdbc;
        this.encoder = encoder;
        this.properties = properties;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    record Grant(UUID transferId, PeerGrant.Role role, String username, String secretHash, List<PackageFile> files) {

        Optional<PackageFile> file(String name) {
            return files.stream().filter(f -> f.name().equals(name)).findFirst();
        }
    }

    record PeerSession(UUID transferId, PeerGrant.Role role, Instant expiresAt) {
    }

    void save(UUID transferId, PeerGrant grant) {
        String files = JSON.writeValueAsString(grant.files());
        Timestamp expires = Timestamp.from(clock.instant().plus(properties.grantTtl()));
        String hash = encoder.encode(grant.secret());
        jdbc.sql("""
                        insert into transfer_grant (transfer_id, role, username, secret_hash, files_json, expires_at)
                        values (?, ?, ?, ?, ?, ?)
                        on conflict (transfer_id) do update set role = excluded.role, username = excluded.username,
                            secret_hash = excluded.secret_hash, files_json = excluded.files_json, expires_at = excluded.expires_at""")
                .params(transferId, grant.role().name(), grant.username(), hash, files, expires).update();
    }

    Optional<Grant> find(UUID transferId) {
        return jdbc.sql("select role, username, secret_hash, files_json, expires_at from transfer_grant where transfer_id = ?")
                .param(transferId)
                .query((rs, row) -> rs.getTimestamp("expires_at").toInstant().isBefore(clock.instant()) ? null
                        : new Grant(transferId, PeerGrant.Role.valueOf(rs.getString("role")), rs.getString("username"),
                        rs.getString("secret_hash"), JSON.readValue(rs.getString("files_json"), new TypeReference<List<PackageFile>>() { })))
                .optional();
    }

    SessionResponse login(UUID transferId, String username, String secret) {
        Grant grant = find(transferId).filter(g -> g.username().equals(username) && encoder.matches(secret, g.secretHash()))
                .orElseThrow(() -> new VccProblemException(ProblemType.UNAUTHORIZED, "Unknown transfer, user or wrong secret"));
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expiresAt = clock.instant().plusSeconds(900);
        sessions.values().removeIf(s -> s.expiresAt().isBefore(clock.instant()));
        sessions.put(token, new PeerSession(transferId, grant.role(), expiresAt));
        return new SessionResponse(token, expiresAt);
    }

    Optional<PeerSession> session(String token) {
        PeerSession session = sessions.get(token);
        if (session == null || session.expiresAt().isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(session);
    }

    /** The grant behind an authenticated request, checked against the transfer and role the request is for. */
    Grant require(PeerSession session, UUID transferId, PeerGrant.Role role) {
        if (session == null || !session.transferId().equals(transferId) || session.role() != role) {
            throw new VccProblemException(ProblemType.FORBIDDEN, "This session is not for " + role + " of transfer " + transferId);
        }
        return find(transferId).filter(g -> g.role() == role)
                .orElseThrow(() -> VccProblemException.notFound("Transfer", transferId));
    }

    void revoke(UUID transferId) {
        sessions.values().removeIf(s -> s.transferId().equals(transferId));
        jdbc.sql("delete from transfer_grant where transfer_id = ?").param(transferId).update();
    }
}
