package io.vcc.api.node;

import java.util.List;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.DeleteExchange;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.annotation.PutExchange;

/**
 * The API every VCC node serves under {@code /node/v1}, written once here and used as a client by the
 * server and by peer nodes. All calls but {@link #login} need a session token.
 */
@HttpExchange("/node/v1")
public interface NodeApi {

    @PostExchange("/sessions")
    SessionResponse login(@RequestBody SessionRequest request);

    @GetExchange("/status")
    NodeStatus status();

    /**
     * Replaces the secret the server logs in with and ends every session, this one included: the old secret
     * and sessions opened with it stop working at once.
     */
    @PutExchange("/credentials")
    void changeSecret(@RequestBody NodeSecretChange change);

    @PostExchange("/vdcs")
    VdcInfo createVdc(@RequestBody VdcSpec spec);

    @GetExchange("/vdcs/{vdcId}")
    VdcInfo vdc(@PathVariable String vdcId);

    @DeleteExchange("/vdcs/{vdcId}")
    void deleteVdc(@PathVariable String vdcId);

    @GetExchange("/vdcs/{vdcId}/vapps")
    List<VappInfo> vapps(@PathVariable String vdcId);

    @GetExchange("/vdcs/{vdcId}/networks")
    List<NetworkInfo> networks(@PathVariable String vdcId);

    @GetExchange("/vdcs/{vdcId}/vms")
    List<VmInfo> vms(@PathVariable String vdcId);

    @PostExchange("/vdcs/{vdcId}/vms")
    VmInfo createVm(@PathVariable String vdcId, @RequestBody VmSpec spec);

    @GetExchange("/vms/{vmId}")
    VmInfo vm(@PathVariable String vmId);

    @PostExchange("/vms/{vmId}/power")
    VmInfo power(@PathVariable String vmId, @RequestBody PowerRequest request);

    @DeleteExchange("/vms/{vmId}")
    void deleteVm(@PathVariable String vmId);

    @GetExchange("/vdcs/{vdcId}/templates")
    List<TemplateInfo> templates(@PathVariable String vdcId);

    @PostExchange("/vdcs/{vdcId}/templates")
    TemplateInfo captureTemplate(@PathVariable String vdcId, @RequestBody TemplateSpec spec);

    @GetExchange("/templates/{templateId}")
    TemplateInfo template(@PathVariable String templateId);

    @PostExchange("/templates/{templateId}/instances")
    VappInfo instantiateTemplate(@PathVariable String templateId, @RequestBody InstantiateRequest request);

    @DeleteExchange("/templates/{templateId}")
    void deleteTemplate(@PathVariable String templateId);

    /** The cloud's zones with their VLAN ranges and the VLAN each account holds. */
    @GetExchange("/zones")
    List<ZoneInfo> zones();

    /** The cloud's hosts, by zone, pod and name, with what is placed on them. */
    @GetExchange("/hosts")
    List<HostInfo> hosts();

    /** VM-hours and storage-GB-hours per organization, for billing. */
    @GetExchange("/usage")
    List<TenantUsage> usage();
}
