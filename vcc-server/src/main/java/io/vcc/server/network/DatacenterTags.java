package io.vcc.server.network;

import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface DatacenterTags extends JpaRepository<DatacenterTag, UUID> {
}
