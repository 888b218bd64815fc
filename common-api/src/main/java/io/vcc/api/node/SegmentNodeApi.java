package io.vcc.api.node;

import jakarta.validation.Valid;
import java.util.List;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.DeleteExchange;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PutExchange;

/**
 * VM NICs on tenant layer-2 segments, under {@code /node/v1}: VDC networks backed by a segment, NICs placed on
 * them with a given MAC and IP, and what the hypervisor has attached. Every {@code PUT} is idempotent and every
 * {@code DELETE} of something absent succeeds, so a workflow step can run them again.
 */
@HttpExchange("/node/v1")
public interface SegmentNodeApi {

    /** The hypervisor's VTEPs and every NIC attached to a segment. */
    @GetExchange("/segments")
    SegmentPorts segments();

    @GetExchange("/vdcs/{vdcId}/segment-networks")
    List<SegmentNetworkInfo> segmentNetworks(@PathVariable String vdcId);

    /** Creates or updates the VDC's network {@code name} as a routed network on the segment. */
    @PutExchange("/vdcs/{vdcId}/segment-networks/{name}")
    SegmentNetworkInfo putSegmentNetwork(@PathVariable String vdcId, @PathVariable String name,
                                         @Valid @RequestBody SegmentNetworkSpec spec);

    /** Refused ({@code invalid-state}) while a VM's NIC is on it. */
    @DeleteExchange("/vdcs/{vdcId}/segment-networks/{name}")
    void removeSegmentNetwork(@PathVariable String vdcId, @PathVariable String name);

    @PutExchange("/vms/{vmId}/nics/{index}")
    VmInfo placeNic(@PathVariable String vmId, @PathVariable int index, @Valid @RequestBody NicPlacement placement);

    /** Probes, from inside the NIC's segment, whether the VM answers on the NIC's IP (not merely whether it is on). */
    @GetExchange("/vms/{vmId}/nics/{index}/answer")
    NicAnswer nicAnswer(@PathVariable String vmId, @PathVariable int index);
}
