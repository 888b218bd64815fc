package io.vcc.api.node;

import java.util.List;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;

/**
 * What an SP node adds to the node API: the tenant-to-VM mapping of its multi-tenant cloud and the
 * cloud-level view (seed 002, FIG. 23–24). Same session login as {@link NodeApi#login}.
 */
@HttpExchange("/node/v1")
public interface SpNodeApi {

    @GetExchange("/organizations/{organization}/vms")
    List<TenantVm> tenantVms(@PathVariable String organization);

    @GetExchange("/cloud")
    CloudOverview cloud();
}
