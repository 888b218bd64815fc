package io.vcc.api.node;

/** What a node is: a VCC node for one tenant's VDC, a VCC node serving many tenants, or an SP node. */
public enum NodeKind { VCC, MULTI_TENANT_VCC, SP }
