package io.vcc.node.adapter.libvirt;

import io.vcc.node.adapter.CloudDirectorAdapter;
import io.vcc.support.VccHome;
import java.nio.file.Path;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The libvirt hypervisor and its catalog of templates, when {@code vcc.adapters.hypervisor=libvirt}; the cloud
 * director stays whichever is configured.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "vcc.adapters.hypervisor", havingValue = "libvirt")
@EnableConfigurationProperties({LibvirtSettings.class, LibvirtSegmentSettings.class})
class LibvirtConfiguration {

    @Bean(destroyMethod = "close")
    LibvirtConnection libvirtConnection(LibvirtSettings settings) {
        return LibvirtConnection.open(settings.uri());
    }

    @Bean
    LibvirtHypervisor libvirtHypervisor(LibvirtConnection connection, LibvirtSettings settings, CloudDirectorAdapter director,
                                        Environment environment) {
        Path imagesDir = settings.images().isBlank() ? VccHome.of(environment).resolve("libvirt-images") : Path.of(settings.images());
        LibvirtImages images = new LibvirtImages(imagesDir, new QemuImg(settings.qemuImg(), settings.inspectTimeout(),
                settings.convertTimeout(), settings.convertMemory().toBytes()));
        LibvirtHypervisor hypervisor = new LibvirtHypervisor(connection, images, director, settings.domainType(), settings.shutdownTimeout());
        hypervisor.removeImagesWithoutDomains();
        return hypervisor;
    }

    /** NICs on tenant segments, when enabled (root and iproute2: it makes bridges and VXLAN devices). */
    @Bean
    @ConditionalOnProperty(name = "vcc.libvirt.segments.enabled", havingValue = "true")
    LibvirtSegments libvirtSegments(LibvirtHypervisor hypervisor, LibvirtSegmentSettings settings, Environment environment) {
        Path networks = settings.networks().isBlank() ? VccHome.of(environment).resolve("libvirt-segment-networks") : Path.of(settings.networks());
        return new LibvirtSegments(hypervisor, new SegmentBridges(null, settings.localAddress(), settings.datapathHost(),
                settings.datapathPort()), networks);
    }

    /** The catalog follows the hypervisor: its templates' VMs are domains, to export and instantiate like the VMs. */
    @Bean
    LibvirtTemplates libvirtTemplates(LibvirtHypervisor hypervisor) {
        return hypervisor.catalog();
    }
}
