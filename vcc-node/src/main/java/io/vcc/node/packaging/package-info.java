/**
 * OVF packages on a node's disk, shared by every feature that moves them: the staging area and its layout
 * ({@link io.vcc.node.packaging.Staging}), the staging budget that uploads and incoming transfers reserve
 * before a byte is written ({@link io.vcc.node.packaging.StagingBudget}, {@code vcc.staging.*}), the janitor
 * that removes what nobody came back for (each feature contributes a {@link io.vcc.node.packaging.StagingSweep}),
 * the importer that checks a package against a VDC and creates its VMs ({@link io.vcc.node.packaging.PackageImporter}),
 * the mapping of OVF codec failures to problem types, the {@code vcc.packages.*} settings, and HTTP byte ranges.
 * Depends on the adapters only; the transfer, upload and download features build on it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Packaging")
package io.vcc.node.packaging;
