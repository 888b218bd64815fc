package io.vcc.node.adapter.sim;

import io.vcc.api.node.CloudCapacity;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VmInfo;
import io.vcc.api.problem.VccProblemException;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.web.bind.annotation.RestController;

/** The provider-level, read-only view of the simulated cloud: every organization, VDC and VM. */
@RestController
@RequestMapping("/sim/v1")
@ConditionalOnExpression("'${vcc.sim.api-password:}' != ''")
class SimProviderApiController {

    private final SimCloudDirector director;

    SimProviderApiController(SimCloudDirector director) {
        this.director = director;
    }

    @GetMapping("/organizations")
    List<String> organizations() {
        return director.organizations();
    }

    @GetMapping("/vdcs")
    List<VdcInfo> vdcs(@RequestParam(required = false) String organization) {
        return director.vdcs(organization);
    }

    @GetMapping("/vdcs/{vdcId}")
    VdcInfo vdc(@PathVariable String vdcId) {
        return director.vdc(vdcId).orElseThrow(() -> VccProblemException.notFound("VDC", vdcId));
    }

    @GetMapping("/vdcs/{vdcId}/vms")
    List<VmInfo> vms(@PathVariable String vdcId) {
        return director.vms(vdcId);
    }

    @GetMapping("/capacity")
    CloudCapacity capacity() {
        return director.capacity();
    }
}
