package io.vcc.api.node;

/** Whether other nodes can open connections to this node (public) or only it to them (private, behind a firewall). */
public enum Visibility { PUBLIC, PRIVATE }
