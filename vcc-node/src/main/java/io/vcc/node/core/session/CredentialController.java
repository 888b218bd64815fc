package io.vcc.node.core.session;

import io.vcc.api.node.NodeSecretChange;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.core.identity.NodeIdentities;
import io.vcc.node.core.identity.NodeIdentity;
import jakarta.validation.Valid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Secret rotation and revocation as the node sees them: the server, logged in with the current secret,
 * hands over the next one. Every session ends, so whoever held the old secret or a session opened with it
 * is out at once; the server simply logs in again with the new secret.
 */
@RestController
class CredentialController {

    private static final Logger log = LoggerFactory.getLogger(CredentialController.class);

    private final NodeIdentities identities;
    private final PasswordEncoder passwordEncoder;
    private final Sessions sessions;

    CredentialController(NodeIdentities identities, PasswordEncoder passwordEncoder, Sessions sessions) {
        this.identities = identities;
        this.passwordEncoder = passwordEncoder;
        this.sessions = sessions;
    }

    /** Sessions end after the new secret is committed, so no login with the old one can slip in between. */
    @PutMapping("/node/v1/credentials")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void change(@Valid @RequestBody NodeSecretChange change) {
        NodeIdentity identity = identities.current().orElseThrow(() -> new VccProblemException(ProblemType.INVALID_STATE,
                "This node is not registered, so it has no secret to change"));
        identity.secretHash(passwordEncoder.encode(change.secret()));
        identities.save(identity);
        sessions.endAll();
        log.info("The server changed this node's secret; every session ended");
    }
}
