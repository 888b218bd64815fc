/**
 * Who may do what: operator accounts and their roles, API tokens for scripts, HTTP Basic and Bearer
 * authentication, and the tenant scope every query is restricted by.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Security")
package io.vcc.server.security;
