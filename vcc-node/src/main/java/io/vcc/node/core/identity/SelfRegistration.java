package io.vcc.node.core.identity;

import io.vcc.api.node.IssuedCertificate;
import io.vcc.api.node.NodeRegistrationRequest;
import io.vcc.api.node.NodeRegistrationResponse;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.core.NodeProperties;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Registration at install time (seed 002, FIG. 13): on first start, with the server's URL and a one-time
 * token, the node tells the server who it is and keeps the identity it gets back. Later starts find the
 * identity in the database and need no token. Until the server answers, it keeps trying; a refused
 * token is final and logged with what to do.
 */
@Component
public class SelfRegistration implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SelfRegistration.class);

    private final NodeProperties properties;
    private final NodeIdentities identities;
    private final PasswordEncoder passwordEncoder;
    private final Environment environment;
    private final ServerConnection server;
    private final NodeCertificates certificates;
    private final Clock clock;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread worker;
    private volatile boolean running;

    public SelfRegistration(NodeProperties properties, NodeIdentities identities, PasswordEncoder passwordEncoder,
                            Environment environment, ServerConnection server, NodeCertificates certificates,
                            ObjectProvider<Clock> clock) {
        this.server = server;
        this.certificates = certificates;
        this.properties = properties;
        this.identities = identities;
        this.passwordEncoder = passwordEncoder;
        this.environment = environment;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @EventListener(ApplicationReadyEvent.class)
    void onReady() {
        if (identities.current().isPresent()) {
            log.info("Node registered as {}", identities.current().get().nodeId());
            return;
        }
        if (isBlank(properties.serverUrl()) || isBlank(properties.registrationToken())) {
            log.warn("Node is not registered. Start it with vcc.node.server-url and vcc.node.registration-token "
                    + "(VCC_NODE_SERVER_URL, VCC_NODE_REGISTRATION_TOKEN); get a token with POST /api/v1/node-registrations on the server.");
            return;
        }
        worker = new Thread(this::registerUntilDone, "node-registration");
        worker.setDaemon(true);
        worker.start();
    }

    private void registerUntilDone() {
        while (running) {
            try {
                register();
                return;
            } catch (VccProblemException e) {
                if (e.type() == ProblemType.REGISTRATION_TOKEN_INVALID || e.type() == ProblemType.REGISTRATION_TOKEN_USED
                        || e.type() == ProblemType.VALIDATION || e.type() == ProblemType.DUPLICATE) {
                    log.error("The server refused this node's registration ({}): {}. Ask for a new token with "
                            + "POST /api/v1/node-registrations and restart the node with it.", e.type().slug(), e.getMessage());
                    return;
                }
                log.warn("Registration with {} failed, retrying in {}: {}", properties.serverUrl(), properties.registrationRetry(), e.getMessage());
            } catch (RuntimeException e) {
                log.warn("Registration with {} failed, retrying in {}: {}", properties.serverUrl(), properties.registrationRetry(), e.toString());
            }
            try {
                if (stopped.await(properties.registrationRetry().toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    void register() {
        X509Certificate pinned = certificates.managed() ? server.pinnedAuthority() : null;
        NodeRegistrationRequest request = new NodeRegistrationRequest(
                properties.registrationToken(), properties.name(), properties.kind(), properties.visibility(),
                baseUrl(), properties.proxy(), properties.cloud().name(), properties.cloud().type(),
                properties.cloud().url(), properties.cloud().multiTenant(), List.copyOf(properties.services()),
                version(), certificates.certificateRequest());
        NodeRegistrationResponse response = server.bootstrap(pinned).register(request);
        if (certificates.managed()) {
            if (response.certificate() == null) {
                throw new VccProblemException(ProblemType.VALIDATION, "The server issued no certificate (it runs no CA): "
                        + "give this node its own (vcc.tls.certificate, vcc.tls.private-key, vcc.tls.trust)");
            }
            certificates.install(new IssuedCertificate(response.certificate(), response.caCertificate()), pinned);
        }
        identities.save(NodeIdentity.registered(response.nodeId(), response.username(),
                passwordEncoder.encode(response.secret()), properties.serverUrl(), clock.instant()));
        log.info("Node registered with {} as {}", properties.serverUrl(), response.nodeId());
    }

    private String baseUrl() {
        if (!isBlank(properties.baseUrl())) {
            return properties.baseUrl();
        }
        String scheme = environment.getProperty("vcc.tls.enabled", Boolean.class, false) ? "https" : "http";
        return scheme + "://localhost:" + environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
    }

    private String version() {
        return environment.getProperty("vcc.version", "dev");
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        stopped.countDown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
