package io.vcc.server.workflow;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * This server process among the replicas that share one database: {@code vcc.replica-name}, or its host name and
 * process id, which no two running replicas share (two on one machine included). db-scheduler records it as the
 * picker of a step and as the heartbeat's owner; operation notifications carry it so a replica skips its own.
 */
@Component
public class Replica {

    private final String name;

    Replica(Environment environment) {
        String configured = environment.getProperty("vcc.replica-name");
        this.name = StringUtils.hasText(configured) ? configured.trim() : host() + "-" + ProcessHandle.current().pid();
    }

    public String name() {
        return name;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "vcc-server";
        }
    }
}
