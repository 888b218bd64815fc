package io.vcc.api.node;

/** The management stack of a cloud, which decides which adapter a node uses there. */
public enum CloudType { VDC_MANAGER, CLOUD_DIRECTOR, THIRD_PARTY }
