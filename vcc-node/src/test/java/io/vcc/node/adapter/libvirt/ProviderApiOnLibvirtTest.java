package io.vcc.node.adapter.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VdcSpec;
import io.vcc.api.node.VmInfo;
import io.vcc.api.node.VmSpec;
import io.vcc.node.adapter.CloudDirectorAdapter;
import io.vcc.node.adapter.HypervisorAdapter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The simulated cloud's provider API on a node whose VMs are libvirt domains: an SP node reading it sees those
 * VMs and what they use, not only the simulated ones.
 */
@SpringBootTest(properties = {"spring.config.name=vcc-node", "vcc.service-name=vcc-node-provider-libvirt-test",
        "vcc.adapters.hypervisor=libvirt", "vcc.libvirt.uri=test:///default", "vcc.sim.api-password=provider-secret-1"})
@ActiveProfiles("test")
@AutoConfigureMockMvc
class ProviderApiOnLibvirtTest {

    private static final String PROVIDER = "Basic "
            + Base64.getEncoder().encodeToString("provider:provider-secret-1".getBytes(StandardCharsets.UTF_8));

    @Autowired
    MockMvc mvc;
    @Autowired
    CloudDirectorAdapter director;
    @Autowired
    HypervisorAdapter hypervisor;

    @BeforeAll
    static void libvirt() {
        LibvirtRequired.check();
    }

    @Test
    void listsTheVdcsDomainsAndCountsThemInItsUsage() throws Exception {
        assertThat(hypervisor.name()).isEqualTo("libvirt");
        VdcInfo vdc = director.createVdc(new VdcSpec("provider-org", "provider-vdc", 8, 8192, 50));
        VmInfo vm = hypervisor.createVm(vdc.id(), new VmSpec("domain-vm", 2, 1024, 3, null, null));

        JsonNode vms = read("/sim/v1/vdcs/" + vdc.id() + "/vms");
        assertThat(vms).hasSize(1);
        assertThat(vms.get(0).path("id").asString()).isEqualTo(vm.id());
        assertThat(vms.get(0).path("name").asString()).isEqualTo("domain-vm");
        JsonNode seen = read("/sim/v1/vdcs/" + vdc.id());
        assertThat(seen.path("cpuUsed").asInt()).isEqualTo(2);
        assertThat(seen.path("memoryMbUsed").asLong()).isEqualTo(1024);
        assertThat(seen.path("storageGbUsed").asLong()).isEqualTo(3);
        JsonNode listed = read("/sim/v1/vdcs?organization=provider-org");
        assertThat(listed.findValuesAsString("cpuUsed")).containsExactly("2");

        hypervisor.deleteVm(vm.id());
        assertThat(read("/sim/v1/vdcs/" + vdc.id() + "/vms")).isEmpty();
        assertThat(read("/sim/v1/vdcs/" + vdc.id()).path("cpuUsed").asInt()).isZero();
    }

    private JsonNode read(String path) throws Exception {
        var response = mvc.perform(get(path).header("Authorization", PROVIDER)).andReturn().getResponse();
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        return JsonMapper.shared().readTree(response.getContentAsString());
    }
}
