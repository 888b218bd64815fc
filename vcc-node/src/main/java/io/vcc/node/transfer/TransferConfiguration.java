package io.vcc.node.transfer;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({TransferProperties.class, PackageProperties.class})
class TransferConfiguration {
}
