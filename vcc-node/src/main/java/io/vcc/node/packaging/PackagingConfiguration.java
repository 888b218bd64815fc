package io.vcc.node.packaging;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({PackageProperties.class, StagingProperties.class, StagingSweepProperties.class})
class PackagingConfiguration {
}
