package io.vcc.server.node;

/** What the server last saw of a node (seed 002, FIG. 21). */
public enum NodeState { RUNNING, NOT_RESPONDING }
