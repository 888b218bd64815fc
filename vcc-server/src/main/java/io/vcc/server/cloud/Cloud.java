package io.vcc.server.cloud;

import io.vcc.api.node.CloudType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

@Entity
@Table(name = "cloud")
class Cloud {

    @Id
    private UUID id;
    @Column(nullable = false, unique = true)
    private String name;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private CloudType type;
    private String url;
    private boolean multiTenant;
    /** Canonical CIDRs, comma-separated; empty: no tenant VTEP allowed yet. */
    @Column(nullable = false)
    private String vtepRanges = "";
    @Column(nullable = false)
    private Instant createdAt;

    protected Cloud() {
    }

    Cloud(String name, CloudType type, String url, boolean multiTenant, Instant createdAt) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.type = type;
        this.url = url;
        this.multiTenant = multiTenant;
        this.createdAt = createdAt;
    }

    void allowVteps(List<IpRange> ranges) {
        this.vtepRanges = String.join(",", ranges.stream().map(IpRange::toString).toList());
    }

    CloudView view() {
        List<String> ranges = vtepRanges.isEmpty() ? List.of() : Arrays.asList(vtepRanges.split(","));
        return new CloudView(id, name, type, url, multiTenant, ranges, createdAt);
    }
}
