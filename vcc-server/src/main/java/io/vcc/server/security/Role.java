package io.vcc.server.security;

/** {@code ADMIN} runs the whole system; the tenant roles see only their own tenant. */
public enum Role {
    ADMIN, TENANT_ADMIN, TENANT_USER
}
