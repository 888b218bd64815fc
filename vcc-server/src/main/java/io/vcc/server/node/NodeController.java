package io.vcc.server.node;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Nodes are infrastructure: only an admin sees or removes them. */
@RestController
@RequestMapping("/api/v1/nodes")
@PreAuthorize("hasRole('ADMIN')")
class NodeController {

    private final NodeGateway gateway;
    private final Nodes nodes;

    NodeController(NodeGateway gateway, Nodes nodes) {
        this.gateway = gateway;
        this.nodes = nodes;
    }

    @GetMapping
    List<NodeView> list() {
        return gateway.all();
    }

    @GetMapping("/{id}")
    NodeView get(@PathVariable UUID id) {
        return gateway.get(id);
    }

    /**
     * Forgets a node that nothing refers to any more. A node that was used (its registration, VDCs, history
     * refer to it) stays; to stop trusting it, revoke it ({@link NodeCredentialsController}).
     */
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Transactional
    void delete(@PathVariable UUID id) {
        Node node = nodes.findById(id).orElseThrow(() -> VccProblemException.notFound("Node", id));
        try {
            nodes.delete(node);
            nodes.flush();
        } catch (DataIntegrityViolationException inUse) {
            throw new VccProblemException(ProblemType.CONFLICT, "Node " + node.name() + " is still referred to (by its "
                    + "registration, VDCs or history), so its record stays. To stop trusting it, revoke it: POST /api/v1/nodes/"
                    + id + "/revocation");
        }
        gateway.forget(id);
    }
}
