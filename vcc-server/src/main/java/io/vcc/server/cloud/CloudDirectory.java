package io.vcc.server.cloud;

import io.vcc.api.node.CloudType;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Clouds for the other modules; a node registering in an unknown cloud brings the cloud with it. */
@Service
@Transactional
public class CloudDirectory {

    private final Clouds clouds;
    private final Clock clock;

    CloudDirectory(Clouds clouds, Clock clock) {
        this.clouds = clouds;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public CloudView get(UUID id) {
        return clouds.findById(id).map(Cloud::view).orElseThrow(() -> VccProblemException.notFound("Cloud", id));
    }

    @Transactional(readOnly = true)
    public List<CloudView> all() {
        return clouds.findAllByOrderByName().stream().map(Cloud::view).toList();
    }

    /** The cloud of that name, created if new; a name already used for another type of cloud is a conflict. */
    public CloudView findOrCreate(String name, CloudType type, String url, boolean multiTenant) {
        return clouds.findByName(name).map(existing -> {
            if (existing.view().type() != type) {
                throw new VccProblemException(ProblemType.CONFLICT, "Cloud " + name + " is a " + existing.view().type()
                        + " cloud, not " + type);
            }
            return existing.view();
        }).orElseGet(() -> clouds.save(new Cloud(name, type, url, multiTenant, clock.instant())).view());
    }

    CloudView create(String name, CloudType type, String url, boolean multiTenant) {
        if (clouds.findByName(name).isPresent()) {
            throw new VccProblemException(ProblemType.DUPLICATE, "A cloud named " + name + " already exists");
        }
        return clouds.save(new Cloud(name, type, url, multiTenant, clock.instant())).view();
    }

    /** Replaces the CIDRs tenants' VTEPs must lie in; existing networks keep the VTEPs they have. */
    CloudView allowVteps(UUID id, List<String> ranges) {
        Cloud cloud = clouds.findById(id).orElseThrow(() -> VccProblemException.notFound("Cloud", id));
        Map<String, String> errors = new LinkedHashMap<>();
        List<IpRange> parsed = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            Optional<IpRange> range = IpRange.parse(ranges.get(i));
            if (range.isEmpty()) {
                errors.put("vtepRanges[" + i + "]", "'" + ranges.get(i) + "' is not a CIDR block: write address/prefix with "
                        + "the host bits zero, e.g. 10.20.0.0/16 or fd00:20::/48");
            } else if (!parsed.contains(range.get())) {
                parsed.add(range.get());
            }
        }
        if (!errors.isEmpty()) {
            throw VccProblemException.invalidFields(errors);
        }
        cloud.allowVteps(parsed);
        return clouds.saveAndFlush(cloud).view();
    }

    void delete(UUID id) {
        Cloud cloud = clouds.findById(id).orElseThrow(() -> VccProblemException.notFound("Cloud", id));
        clouds.delete(cloud);
        clouds.flush();
    }
}
