package io.vcc.api.transfer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The node-to-node API of one transfer, written once for the node that serves it and the node that calls it.
 * The calling node logs in with the transfer's credentials ({@link #SESSIONS}), then moves a file's bytes with
 * {@code GET} (pull, with {@code Range}) or {@code PUT ?offset=} (push) on {@link #FILE}, and asks the committed
 * offset of a file it pushes at {@link #FILE_OFFSET}. The bytes are not JSON, so this is no HTTP interface.
 */
public final class PeerApi {

    /** Every route of a transfer's peer API is under this one. */
    public static final String BASE = "/node/v1/packages/{transferId}";
    public static final String SESSIONS = "/sessions";
    public static final String FILE = "/files/{name}";
    public static final String FILE_OFFSET = "/files/{name}/offset";

    /** On a ranged {@code GET} of exactly one chunk: the chunk's SHA-256, checked before it is committed. */
    public static final String CHUNK_DIGEST = "X-Vcc-Chunk-Sha256";
    /** On a pull's {@code GET}: what the puller has committed of the file, so the serving node can log it. */
    public static final String COMMITTED = "X-Vcc-Committed-Offset";

    private PeerApi() {
    }

    /** The base of the peer API at a node, e.g. {@code https://node-b:8443/node/v1/packages/{id}}. */
    public static String base(String nodeBaseUrl, UUID transferId) {
        return nodeBaseUrl.replaceAll("/+$", "") + BASE.replace("{transferId}", transferId.toString());
    }

    /** A file's route under {@link #base}. */
    public static String file(String name) {
        return FILE.replace("{name}", URLEncoder.encode(name, StandardCharsets.UTF_8));
    }

    /** A file's committed-offset route under {@link #base}. */
    public static String fileOffset(String name) {
        return FILE_OFFSET.replace("{name}", URLEncoder.encode(name, StandardCharsets.UTF_8));
    }
}
