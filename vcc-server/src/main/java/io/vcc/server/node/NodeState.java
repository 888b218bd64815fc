package io.vcc.server.node;

/** What the server last saw of a node (seed 002, FIG. 21); {@code REVOKED} for good, by an administrator. */
public enum NodeState { RUNNING, NOT_RESPONDING, REVOKED }
