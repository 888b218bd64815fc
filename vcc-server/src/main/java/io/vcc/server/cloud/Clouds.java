package io.vcc.server.cloud;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface Clouds extends JpaRepository<Cloud, UUID> {

    Optional<Cloud> findByName(String name);

    List<Cloud> findAllByOrderByName();
}
