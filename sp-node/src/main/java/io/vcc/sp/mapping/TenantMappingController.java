package io.vcc.sp.mapping;

import io.vcc.api.node.CloudOverview;
import io.vcc.api.node.TenantVm;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The SP node's services ({@code SpNodeApi}); login and status come from the node core. */
@RestController
class TenantMappingController {

    private final TenantMapping mapping;

    TenantMappingController(TenantMapping mapping) {
        this.mapping = mapping;
    }

    @GetMapping("/node/v1/organizations/{organization}/vms")
    List<TenantVm> tenantVms(@PathVariable String organization) {
        return mapping.vmsOf(organization);
    }

    @GetMapping("/node/v1/cloud")
    CloudOverview cloud() {
        return mapping.overview();
    }
}
