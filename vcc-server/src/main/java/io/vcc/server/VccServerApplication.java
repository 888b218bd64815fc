package io.vcc.server;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The VCC server: keeps tenants, their VDCs in many clouds and the nodes that serve them. */
@SpringBootApplication
public class VccServerApplication {

    /** The application with its own configuration file name, so it can share a JVM with other services. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(VccServerApplication.class)
                .properties("spring.config.name=vcc-server", "vcc.service-name=vcc-server", "vcc.tls.authority=true");
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
