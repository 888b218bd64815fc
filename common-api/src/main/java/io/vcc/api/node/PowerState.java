package io.vcc.api.node;

public enum PowerState { POWERED_OFF, POWERED_ON }
