package io.vcc.server.node;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({NodeCallSettings.class, PresetTokens.class})
class NodeCallConfiguration {
}
