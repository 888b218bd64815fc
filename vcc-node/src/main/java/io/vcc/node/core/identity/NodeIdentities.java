package io.vcc.node.core.identity;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface NodeIdentities extends JpaRepository<NodeIdentity, Integer> {

    default Optional<NodeIdentity> current() {
        return findById(NodeIdentity.SINGLETON);
    }
}
