/**
 * The web admin console under {@code /console}: server-rendered pages (Thymeleaf) with htmx for the live parts
 * (node status, running operations) and server-sent events for transfer progress, a tus upload of OVAs that
 * resumes after a reload. Logins are a form and a session with CSRF ({@code ConsoleSecurity}); every page reads
 * and acts through the operator API ({@link io.vcc.server.console.ConsoleApi}), so the rules, roles and tenant
 * scope are the API's own and its problems are shown beside the field or action that caused them.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Web console")
package io.vcc.server.console;
