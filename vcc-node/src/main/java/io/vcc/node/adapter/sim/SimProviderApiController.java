package io.vcc.node.adapter.sim;

import io.vcc.api.node.CloudCapacity;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VmInfo;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.HypervisorAdapter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.web.bind.annotation.RestController;

/**
 * The provider-level, read-only view of the simulated cloud: every organization, VDC and VM. The VMs are the
 * hypervisor's (libvirt domains on a node that runs them there, beside any simulated ones), and a VDC's usage
 * counts them, so an SP node of this cloud sees every VM a tenant has.
 */
@RestController
@RequestMapping("/sim/v1")
@ConditionalOnExpression("'${vcc.sim.api-password:}' != ''")
class SimProviderApiController {

    private final SimCloudDirector director;
    private final HypervisorAdapter hypervisor;

    SimProviderApiController(SimCloudDirector director, HypervisorAdapter hypervisor) {
        this.director = director;
        this.hypervisor = hypervisor;
    }

    @GetMapping("/organizations")
    List<String> organizations() {
        return director.organizations();
    }

    @GetMapping("/vdcs")
    List<VdcInfo> vdcs(@RequestParam(required = false) String organization) {
        return director.vdcs(organization).stream().map(hypervisor::withUsage).toList();
    }

    @GetMapping("/vdcs/{vdcId}")
    VdcInfo vdc(@PathVariable String vdcId) {
        return hypervisor.withUsage(director.vdc(vdcId).orElseThrow(() -> VccProblemException.notFound("VDC", vdcId)));
    }

    @GetMapping("/vdcs/{vdcId}/vms")
    List<VmInfo> vms(@PathVariable String vdcId) {
        Map<String, VmInfo> byId = new LinkedHashMap<>();
        director.vms(vdcId).forEach(vm -> byId.put(vm.id(), vm));
        hypervisor.vms(vdcId).forEach(vm -> byId.putIfAbsent(vm.id(), vm));
        return List.copyOf(byId.values());
    }

    @GetMapping("/capacity")
    CloudCapacity capacity() {
        return director.capacity();
    }
}
