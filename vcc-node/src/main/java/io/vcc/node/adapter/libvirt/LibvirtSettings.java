package io.vcc.node.adapter.libvirt;

import java.time.Duration;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the libvirt hypervisor adapter finds its hypervisor and keeps its VMs' disk images.
 *
 * @param uri        the libvirt connection URI: {@code test:///default} (in-process, for tests) or e.g.
 *                   {@code qemu:///system}
 * @param images     directory of the VMs' raw disk images; empty: {@code libvirt-images} under the node's home
 * @param domainType the {@code <domain type>} of new VMs; empty: {@code test} on the test driver, {@code kvm} otherwise
 * @param shutdownTimeout how long powering a VM off waits for its guest to shut down before it pulls the plug
 *                   (0: at once)
 * @param qemuImg    the {@code qemu-img} command that makes packages' VMDK, qcow2 and VHD disks raw images
 * @param inspectTimeout how long {@code qemu-img info} may read a package's disk before it is refused
 * @param convertTimeout how long {@code qemu-img convert} may take to make it a raw image before it is refused
 * @param convertMemory  the address space either may use ({@code prlimit --as}); the files convert writes are
 *                   bounded by the disk's declared capacity
 */
@ConfigurationProperties("vcc.libvirt")
public record LibvirtSettings(
        @DefaultValue("test:///default") String uri,
        @DefaultValue("") String images,
        @DefaultValue("") String domainType,
        @DefaultValue("60s") Duration shutdownTimeout,
        @DefaultValue("qemu-img") String qemuImg,
        @DefaultValue("30s") Duration inspectTimeout,
        @DefaultValue("30m") Duration convertTimeout,
        @DefaultValue("1GB") DataSize convertMemory) {
}
