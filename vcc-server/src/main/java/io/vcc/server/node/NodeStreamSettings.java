package io.vcc.server.node;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Streaming calls to nodes (package uploads relayed, OVA downloads): the longest pause in the bytes a node takes
 * or sends before the call is given up ({@code node-unavailable}), and how long an OVA request may wait for the
 * node's answer, which comes once the node has exported the VM (a large disk takes minutes).
 */
@ConfigurationProperties("vcc.nodes")
record NodeStreamSettings(@DefaultValue("60s") Duration streamIdleTimeout, @DefaultValue("30m") Duration streamAnswerTimeout) {
}
