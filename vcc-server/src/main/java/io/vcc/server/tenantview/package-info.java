/**
 * What an SP node knows about a multi-tenant cloud (seed 002, FIG. 23–24): a tenant's own VMs there,
 * found through the SP node's tenant-to-VM mapping, and the cloud-level view for administrators.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Tenant views of shared clouds")
package io.vcc.server.tenantview;
