/**
 * Packages users upload into a VDC, resumable with tus 1.0: the server's {@code /api/v1/vdcs/{id}/imports}
 * relays to {@code /node/v1/uploads} here: an OVA, or an OVF descriptor and the files it names,
 * each with a durable offset in the node's database, checked as soon as the descriptor is in and imported
 * with the last byte. {@code PackageUploadService} takes the requests, {@code DurableAppend} writes and commits
 * the bytes, {@code DescriptorInspection} checks the descriptor early, {@code UploadImports} imports, and
 * {@code UploadStaging} keeps and discards the staged files. Builds on {@link io.vcc.node.packaging}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Uploads")
package io.vcc.node.upload;
