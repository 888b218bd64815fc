package io.vcc.node.upload;

import io.vcc.node.packaging.StagingSweep;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Uploads that got no byte for {@code vcc.packages.upload-ttl} expire when the staging janitor comes by, even
 * when no new upload comes to trigger it.
 */
@Component
class AbandonedUploads implements StagingSweep {

    private final PackageUploadService uploads;

    AbandonedUploads(PackageUploadService uploads) {
        this.uploads = uploads;
    }

    @Override
    public String what() {
        return "abandoned uploads";
    }

    @Override
    public List<UUID> sweep() {
        return uploads.expireAbandoned();
    }
}
