package io.vcc.server.node;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the server talks to its nodes.
 *
 * @param connectTimeout      how long a connection to a node may take, for every call
 * @param callTimeout         how long a node may take to answer an ordinary call
 * @param probeTimeout        how long a status poll waits before the node counts as not answering
 * @param statusInterval      how often nodes are polled (and a pending secret handover retried)
 * @param streamIdleTimeout   streaming calls (package uploads relayed, OVA downloads): the longest pause in the
 *                            bytes a node takes or sends before the call is given up ({@code node-unavailable})
 * @param streamAnswerTimeout how long an OVA request may wait for the node's answer, which comes once the node
 *                            has exported the VM (a large disk takes minutes)
 */
@ConfigurationProperties("vcc.nodes")
record NodeCallSettings(@DefaultValue("2s") Duration connectTimeout, @DefaultValue("60s") Duration callTimeout,
                        @DefaultValue("3s") Duration probeTimeout, @DefaultValue("5s") Duration statusInterval,
                        @DefaultValue("60s") Duration streamIdleTimeout, @DefaultValue("30m") Duration streamAnswerTimeout) {
}
