package io.vcc.server.node;

import io.vcc.server.security.SecretTokens;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * For unattended installs (docker-compose, provisioning tools): registration tokens chosen by the installer
 * and given to the server in {@code vcc.node-registration.preset-tokens} (comma-separated), and to each node
 * in its {@code VCC_NODE_REGISTRATION_TOKEN}. They are ordinary one-time tokens: each registers one node,
 * once, and expires unused after {@code vcc.node-registration.preset-validity}. Replicas starting together take
 * turns (an advisory lock), so each token is stored once.
 */
@Component
class PresetRegistrations implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(PresetRegistrations.class);
    private static final long PRESET_LOCK = 0x7663_6370_7273L;

    private final NodeRegistrations registrations;
    private final PresetTokens settings;
    private final Clock clock;
    private final JdbcClient jdbc;

    PresetRegistrations(NodeRegistrations registrations, PresetTokens settings, Clock clock, JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.registrations = registrations;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        Duration validity = settings.presetValidity();
        jdbc.sql("select pg_advisory_xact_lock(?)").param(PRESET_LOCK).query(Object.class).optional();
        settings.presetTokens().stream().map(String::trim).filter(token -> !token.isEmpty()).forEach(token -> {
            if (token.length() < 16) {
                log.warn("Ignoring a preset registration token shorter than 16 characters");
                return;
            }
            String hash = SecretTokens.hash(token);
            if (registrations.findByTokenHash(hash).isEmpty()) {
                registrations.save(new NodeRegistration(hash, "preset", "installer", clock.instant(), clock.instant().plus(validity)));
                log.info("Preset registration token accepted (valid for {})", validity);
            }
        });
    }
}
