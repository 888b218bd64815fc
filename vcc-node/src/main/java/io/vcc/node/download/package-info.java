/**
 * A VM, vApp or template of a VDC as an OVA to download ({@code GET /node/v1/{vms|vapps|templates}/{id}/ova},
 * relayed by the server), with {@code Range} and a strong {@code ETag}: exported once by the transfer engine's
 * export ({@link io.vcc.node.transfer.PackageExports}) and served from the staging area while the source is
 * unchanged.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Downloads")
package io.vcc.node.download;
