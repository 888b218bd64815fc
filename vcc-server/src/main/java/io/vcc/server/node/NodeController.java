package io.vcc.server.node;

import io.vcc.api.problem.VccProblemException;
import java.util.List;
import java.util.UUID;
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

    /** Forgets a node (it must serve no VDC any more); to bring it back, register it again with a new token. */
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Transactional
    void delete(@PathVariable UUID id) {
        Node node = nodes.findById(id).orElseThrow(() -> VccProblemException.notFound("Node", id));
        nodes.delete(node);
        nodes.flush();
        gateway.forget(id);
    }
}
