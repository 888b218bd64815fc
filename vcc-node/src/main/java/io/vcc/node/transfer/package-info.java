/**
 * The peer transfer engine: checkpoint-restart transfers of OVF packages between nodes (seed 002, FIG. 17–19).
 * The server asks ({@code /node/v1/transfers/...}); peers move bytes ({@code /node/v1/packages/...}) with
 * credentials the server issued for one transfer. Every committed chunk is logged in the node's database after
 * it is on disk, so any restart resumes from the last checkpoint.
 * <p>
 * The source exports the package and serves it (pull) or pushes it; the target accepts it (push) or pulls it,
 * verifies it and imports it. The wire ({@code Peer*}, {@code OpenSslTomcat}) and the chunk pipeline
 * ({@code ChunkPipeline}, {@code ChunkReceiver}, {@code StagedFileWriter}) serve both roles.
 * {@link io.vcc.node.transfer.PackageExports} lends the export to the other features (OVA downloads).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Transfers")
package io.vcc.node.transfer;
