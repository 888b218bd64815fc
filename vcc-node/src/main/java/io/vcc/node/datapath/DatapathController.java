package io.vcc.node.datapath;

import io.vcc.api.datapath.DatapathSetup;
import io.vcc.api.datapath.DatapathState;
import io.vcc.api.datapath.KeySpec;
import io.vcc.api.datapath.PeerSpec;
import io.vcc.api.datapath.SegmentSpec;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.DatapathAdapter;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The {@code DatapathApi} contract. Present on every VCC node, so that a node without a datapath says so
 * ({@code enabled: false}, and {@code invalid-state} to programming) instead of answering 404.
 */
@RestController
@RequestMapping("/node/v1/datapath")
class DatapathController {

    private final ObjectProvider<DatapathAdapter> adapter;
    private final Environment environment;

    DatapathController(ObjectProvider<DatapathAdapter> adapter, Environment environment) {
        this.adapter = adapter;
        this.environment = environment;
    }

    @GetMapping
    DatapathState state() {
        DatapathAdapter datapath = adapter.getIfAvailable();
        if (datapath == null) {
            return DatapathViews.notRunning(false, environment.getProperty("vcc.datapath.local-vtep"),
                    environment.getProperty("vcc.datapath.tunnel"), null);
        }
        return datapath.state();
    }

    @PutMapping
    DatapathState setup(@Valid @RequestBody DatapathSetup setup) {
        return datapath().setup(setup.datacenterTag());
    }

    @PutMapping("/segments/{vni}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void putSegment(@PathVariable @Min(0) @Max(0xFF_FFFF) int vni, @Valid @RequestBody SegmentSpec segment) {
        datapath().putSegment(vni, segment);
    }

    @DeleteMapping("/segments/{vni}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeSegment(@PathVariable int vni) {
        datapath().removeSegment(vni);
    }

    @PutMapping("/peers/{nodeId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void putPeer(@PathVariable @Size(max = 100) String nodeId, @Valid @RequestBody PeerSpec peer) {
        datapath().putPeer(nodeId, peer);
    }

    @DeleteMapping("/peers/{nodeId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removePeer(@PathVariable String nodeId) {
        datapath().removePeer(nodeId);
    }

    @PutMapping("/peers/{nodeId}/keys/{keyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void putKey(@PathVariable String nodeId, @PathVariable int keyId, @Valid @RequestBody KeySpec key) {
        datapath().putKey(nodeId, keyId, key);
    }

    @DeleteMapping("/peers/{nodeId}/keys/previous")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void retirePreviousKey(@PathVariable String nodeId) {
        datapath().retirePreviousKey(nodeId);
    }

    private DatapathAdapter datapath() {
        DatapathAdapter datapath = adapter.getIfAvailable();
        if (datapath == null) {
            throw new VccProblemException(ProblemType.INVALID_STATE,
                    "This node runs no datapath (vcc.datapath.enabled=false)");
        }
        return datapath;
    }
}
