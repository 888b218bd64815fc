/**
 * The peer transfer engine: checkpoint-restart transfers of OVF packages between nodes (seed 002, FIG. 17–19).
 * The server asks ({@code /node/v1/transfers/...}); peers move bytes ({@code /node/v1/packages/...}) with
 * credentials the server issued for one transfer. Every committed chunk is logged in the node's database after
 * it is on disk, so any restart resumes from the last checkpoint.
 * <p>
 * The roles are apart: the source exports the package ({@code SourceExport}) and serves it to a pulling peer
 * ({@code PackageController}) or pushes it ({@code SourcePush}); the target accepts it, receives a push or
 * pulls it ({@code TargetReceive}), verifies it and imports it ({@code TargetImport}). {@code TransferService}
 * keeps what both share: the grant the server gives (which node moves the bytes is decided once, by the server's
 * {@code TransferParams.Direction}), job status and cleanup. The wire ({@code Peer*}, {@code PeerCalls},
 * {@code OpenSslTomcat}) and the chunk pipeline ({@code ChunkPipeline}, {@code ChunkReceiver},
 * {@code StagedFileWriter}) serve both roles.
 * {@link io.vcc.node.transfer.PackageExports} lends the export to the other features (OVA downloads).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Transfers")
package io.vcc.node.transfer;
