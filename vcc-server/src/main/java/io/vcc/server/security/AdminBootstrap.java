package io.vcc.server.security;

import io.vcc.support.VccHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The first administrator. Its password is {@code VCC_ADMIN_PASSWORD} when set (and follows it on later
 * starts); otherwise one is generated on first start, stored in {@code admin-password} (mode 600) in the
 * server's directory and logged once. There is never a fixed default. Replicas starting together on an empty
 * database take turns (an advisory lock): the first makes the admin, the others find it.
 */
@Component
class AdminBootstrap implements ApplicationRunner {

    static final String ADMIN = "admin";
    private static final long BOOTSTRAP_LOCK = 0x7663_6361_646dL;
    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final Accounts accounts;
    private final PasswordEncoder passwordEncoder;
    private final Environment environment;
    private final Clock clock;
    private final JdbcClient jdbc;

    AdminBootstrap(Accounts accounts, PasswordEncoder passwordEncoder, Environment environment, Clock clock, JdbcClient jdbc) {
        this.accounts = accounts;
        this.jdbc = jdbc;
        this.passwordEncoder = passwordEncoder;
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) throws IOException {
        jdbc.sql("select pg_advisory_xact_lock(?)").param(BOOTSTRAP_LOCK).query(Object.class).optional();
        String configured = environment.getProperty("vcc.admin.password");
        var existing = accounts.findByUsername(ADMIN);
        if (existing.isPresent()) {
            if (configured != null && !configured.isBlank() && !passwordEncoder.matches(configured, existing.get().passwordHash())) {
                existing.get().passwordHash(passwordEncoder.encode(configured));
                log.info("Admin password set from VCC_ADMIN_PASSWORD");
            }
            return;
        }
        String password = configured;
        if (password == null || password.isBlank()) {
            password = SecretTokens.generate("").substring(0, 24);
            Path file = VccHome.of(environment).resolve("admin-password");
            Files.writeString(file, password + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            log.info("Created user '{}' with generated password {} (also stored in {})", ADMIN, password, file);
        }
        accounts.save(new Account(ADMIN, passwordEncoder.encode(password), Role.ADMIN, null, clock.instant()));
    }
}
