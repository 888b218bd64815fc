package io.vcc.node.datapath;

import io.micrometer.core.instrument.MeterRegistry;
import io.vcc.node.adapter.DatapathAdapter;
import io.vcc.node.core.NodeProperties;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Netty datapath adapter, only where {@code vcc.datapath.enabled=true}: it opens UDP ports. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "vcc.datapath.enabled", havingValue = "true")
@EnableConfigurationProperties(DatapathProperties.class)
class DatapathConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DatapathConfiguration.class);

    @Bean
    DatapathAdapter nettyDatapathAdapter(DatapathProperties properties, NodeProperties node, MeterRegistry registry) {
        return new NettyDatapathAdapter(properties, advertisedHost(properties, node), registry);
    }

    // A tunnel bound to 0.0.0.0 has no address to tell peers; the node's own base URL names the host that
    // the server and peers already reach it at, which is the best default.
    private static String advertisedHost(DatapathProperties properties, NodeProperties node) {
        if (!properties.advertisedHost().isBlank()) {
            return properties.advertisedHost().trim();
        }
        if (node.baseUrl() != null && !node.baseUrl().isBlank()) {
            String host = URI.create(node.baseUrl()).getHost();
            if (host != null) {
                return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            }
        }
        log.warn("vcc.datapath.tunnel binds a wildcard address and neither vcc.datapath.advertised-host nor "
                + "vcc.node.base-url names a host: peers are told 127.0.0.1");
        return "127.0.0.1";
    }
}
