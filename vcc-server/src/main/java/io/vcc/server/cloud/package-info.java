/** The clouds vcc joins: their type, management URL, and whether they serve one tenant or many. */
@org.springframework.modulith.ApplicationModule(displayName = "Clouds")
package io.vcc.server.cloud;
