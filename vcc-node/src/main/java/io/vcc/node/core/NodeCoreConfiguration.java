package io.vcc.node.core;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * What every kind of node has, VCC or SP: its identity and self-registration, login sessions and status.
 * Applications that build on vcc-node import this and add their own services; they include this package
 * in their entity and repository scanning.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan
@EnableConfigurationProperties(NodeProperties.class)
public class NodeCoreConfiguration {
}
