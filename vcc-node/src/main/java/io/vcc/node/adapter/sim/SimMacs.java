package io.vcc.node.adapter.sim;

import java.security.SecureRandom;
import org.springframework.stereotype.Component;

/** Hands out MAC addresses no NIC in this cloud has, under VMware's OUI for manually assigned MACs. */
@Component
class SimMacs {

    private static final String PREFIX = "00:50:56";

    private final SimVms vms;
    private final SecureRandom random = new SecureRandom();

    SimMacs(SimVms vms) {
        this.vms = vms;
    }

    String free() {
        while (true) {
            String mac = String.format("%s:%02x:%02x:%02x", PREFIX, random.nextInt(256), random.nextInt(256), random.nextInt(256));
            if (!vms.macInUse(mac)) {
                return mac;
            }
        }
    }
}
