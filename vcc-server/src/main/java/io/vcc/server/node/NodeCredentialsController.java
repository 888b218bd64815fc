package io.vcc.server.node;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.node.NodeCredentialEvent.CredentialEventView;
import io.vcc.server.security.CurrentUser;
import java.util.List;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A node's secret rotated, a node revoked, and the history of both: for admins only. */
@RestController
@RequestMapping("/api/v1/nodes/{id}")
@PreAuthorize("hasRole('ADMIN')")
class NodeCredentialsController {

    private final NodeCredentials credentials;
    private final NodeGateway gateway;

    NodeCredentialsController(NodeCredentials credentials, NodeGateway gateway) {
        this.credentials = credentials;
        this.gateway = gateway;
    }

    /** The node gets a new secret; from then on only the new one opens it. */
    @PostMapping("/secret")
    NodeView rotate(@PathVariable UUID id) {
        if (!credentials.rotate(id, CurrentUser.get().username())) {
            throw new VccProblemException(ProblemType.NODE_UNAVAILABLE, "The node did not take its new secret now; it is "
                    + "handed over as soon as the node answers, and the old secret works until then");
        }
        return gateway.get(id);
    }

    /**
     * Revokes the node for good: the server stops polling and calling it, operations on it fail, its VDCs answer
     * {@code node-revoked}. Its record and history stay.
     */
    @PostMapping("/revocation")
    NodeView revoke(@PathVariable UUID id) {
        credentials.revoke(id, CurrentUser.get().username());
        return gateway.get(id);
    }

    @GetMapping("/credential-history")
    List<CredentialEventView> history(@PathVariable UUID id) {
        return credentials.history(id);
    }
}
