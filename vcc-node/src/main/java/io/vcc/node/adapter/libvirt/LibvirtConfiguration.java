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
@EnableConfigurationProperties(LibvirtSettings.class)
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

    /** The catalog follows the hypervisor: its templates' VMs are domains, to export and instantiate like the VMs. */
    @Bean
    LibvirtTemplates libvirtTemplates(LibvirtHypervisor hypervisor) {
        return hypervisor.catalog();
    }
}
