package io.vcc.api.problem;

import java.net.URI;

/**
 * The stable problem types every vcc service answers with (RFC 7807 {@code type}). Scripts match on the
 * URI, so a constant here is never renamed; new failures get new constants.
 */
public enum ProblemType {
    NOT_FOUND("not-found", 404, "Not found"),
    VALIDATION("validation", 400, "Invalid request"),
    MALFORMED_REQUEST("malformed-request", 400, "Malformed request"),
    REQUEST_TOO_LARGE("request-too-large", 400, "Request too large"),
    CONFLICT("conflict", 409, "Conflict"),
    DUPLICATE("duplicate", 409, "Already exists"),
    UNAUTHORIZED("unauthorized", 401, "Authentication required"),
    FORBIDDEN("forbidden", 403, "Not allowed"),
    /** Too many logins failed or were tried, or too many event streams are open; the answer says when to retry (HTTP 429). */
    TOO_MANY_REQUESTS("too-many-requests", 429, "Too many requests"),
    /** The node was revoked by an administrator: the server no longer calls it, and what it hosts cannot be used. */
    NODE_REVOKED("node-revoked", 409, "Node revoked"),
    REGISTRATION_TOKEN_INVALID("registration-token-invalid", 401, "Registration token invalid or expired"),
    REGISTRATION_TOKEN_USED("registration-token-used", 409, "Registration token already used"),
    QUOTA_EXCEEDED("quota-exceeded", 409, "Quota exceeded"),
    CAPACITY_EXHAUSTED("capacity-exhausted", 409, "Capacity exhausted"),
    INVALID_STATE("invalid-state", 409, "Invalid state for this operation"),
    NODE_UNAVAILABLE("node-unavailable", 503, "Node unavailable"),
    NODE_ERROR("node-error", 502, "Node failed the request"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    SIMULATED_FAULT("simulated-fault", 500, "Simulated fault"),
    INTERNAL("internal", 500, "Internal error"),
    TRANSFER_FAILED("transfer-failed", 502, "Transfer failed"),
    TRANSFER_REFUSED("transfer-refused", 409, "Transfer not possible"),
    PACKAGE_INVALID("package-invalid", 422, "Package invalid"),
    CHUNK_CORRUPT("chunk-corrupt", 422, "Chunk digest mismatch"),
    OFFSET_MISMATCH("offset-mismatch", 409, "Upload offset does not match the committed offset"),
    /** A tag space (host, customer or datacenter tags: VLAN IDs 1..4094; a cloud's VNIs) has no free value left. */
    TAG_SPACE_EXHAUSTED("tag-space-exhausted", 409, "Tag space exhausted"),
    /**
     * A node's staging area (where uploads and incoming transfers are written) has no room for what was asked:
     * its budget, or the tenant's share of it, is reserved by other uploads and transfers (HTTP 507).
     */
    STAGING_FULL("staging-full", 507, "Staging full"),
    /**
     * A package carries what is never processed: a DOCTYPE or entity declarations (XXE), a member name that
     * escapes the package ({@code ../../x}, absolute), a link or device member.
     */
    PACKAGE_UNSAFE("package-unsafe", 422, "Package refused as unsafe"),
    /** A package's files do not match its manifest (digest, size, a file not listed), or its certificate fails. */
    PACKAGE_NOT_VERIFIED("package-not-verified", 422, "Package does not match its manifest"),
    /**
     * A package without a manifest: nothing vouches for its files' bytes. Refused unless an admin allowed unsigned
     * packages for the VDC or for the upload.
     */
    MISSING_MANIFEST("missing-manifest", 422, "Package has no manifest"),
    /** Valid OVF this cloud does not import: several virtual systems, chunked files, delta disks, unknown extensions. */
    PACKAGE_UNSUPPORTED("package-unsupported", 422, "Package not supported"),
    /** A {@code Range} that does not overlap the resource (HTTP 416). */
    RANGE_NOT_SATISFIABLE("range-not-satisfiable", 416, "Range not satisfiable"),
    /** A protocol precondition failed, e.g. a {@code Tus-Resumable} version this service does not speak (HTTP 412). */
    PRECONDITION_FAILED("precondition-failed", 412, "Precondition failed"),
    /** The tenant already has as many layer-2 networks as its network quota allows (an admin can raise it). */
    NETWORK_QUOTA_EXCEEDED("network-quota-exceeded", 409, "Network quota exceeded"),
    /**
     * No host of the cloud has room for a new VM (CPU, memory, storage, anti-affinity): it is not possible to
     * start the VM (seed 003). Nothing of it was made.
     */
    PLACEMENT_FAILED("placement-failed", 409, "Not possible to start the VM"),
    /** The zone's VLAN range has no VLAN ID left for an account's first VM there (seed 003). Nothing was made. */
    VLAN_RANGE_EXHAUSTED("vlan-range-exhausted", 409, "VLAN range exhausted"),
    /**
     * An HA failover found no inactive virtual hypervisor in its pool that can take the failed hypervisor's VMs
     * (its mirror, or one of equal or better hardware generation and size); nothing was changed.
     */
    NO_FREE_VIRTUAL_HYPERVISOR("no-free-virtual-hypervisor", 409, "No free virtual hypervisor"),
    /** A stretch deploy that cannot work (no datapath in a cloud, a NIC on no tenant network, MTU, IP or MAC taken). */
    STRETCH_REFUSED("stretch-refused", 409, "Stretch deploy not possible"),
    /**
     * A tenant network's VM MTU is more than a cloud's datapath can carry through its tunnel (its MTU budget):
     * the VMs' full-size frames would be dropped there. Nothing was changed.
     */
    MTU_TOO_LARGE("mtu-too-large", 409, "Network MTU larger than the datapath carries");

    private static final String BASE = "urn:vcc:problem:";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public URI uri() {
        return URI.create(BASE + slug);
    }

    public String slug() {
        return slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The type for a URI received from another service, or {@code null} when it is not one of ours. */
    public static ProblemType fromUri(URI uri) {
        if (uri == null || !uri.toString().startsWith(BASE)) {
            return null;
        }
        String slug = uri.toString().substring(BASE.length());
        for (ProblemType type : values()) {
            if (type.slug.equals(slug)) {
                return type;
            }
        }
        return null;
    }
}
