package io.vcc.node.core.session;

import io.vcc.api.node.SessionRequest;
import io.vcc.api.node.SessionResponse;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.core.identity.NodeIdentities;
import io.vcc.node.core.identity.NodeIdentity;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Login to the node (seed 002, FIG. 14, steps 1406–1414). */
@RestController
class SessionController {

    private final NodeIdentities identities;
    private final PasswordEncoder passwordEncoder;
    private final Sessions sessions;

    SessionController(NodeIdentities identities, PasswordEncoder passwordEncoder, Sessions sessions) {
        this.identities = identities;
        this.passwordEncoder = passwordEncoder;
        this.sessions = sessions;
    }

    @PostMapping("/node/v1/sessions")
    @ResponseStatus(HttpStatus.CREATED)
    SessionResponse login(@Valid @RequestBody SessionRequest request) {
        NodeIdentity identity = identities.current().orElseThrow(() -> new VccProblemException(ProblemType.UNAUTHORIZED,
                "This node is not registered with a server yet, so it accepts no logins"));
        if (!identity.username().equals(request.username()) || !passwordEncoder.matches(request.secret(), identity.secretHash())) {
            throw new VccProblemException(ProblemType.UNAUTHORIZED, "Unknown user or wrong secret");
        }
        return sessions.open(request.username());
    }
}
