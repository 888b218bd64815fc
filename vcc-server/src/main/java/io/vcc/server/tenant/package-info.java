/** Tenants (the organizations a cloud serves) and their users. */
@org.springframework.modulith.ApplicationModule(displayName = "Tenants")
package io.vcc.server.tenant;
