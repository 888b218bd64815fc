/**
 * The clouds vcc joins: their type, management URL, whether they serve one tenant or many, and the address
 * ranges an admin allows tenants' VTEPs in.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Clouds")
package io.vcc.server.cloud;
