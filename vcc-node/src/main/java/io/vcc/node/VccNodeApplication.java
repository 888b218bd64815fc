package io.vcc.node;

import io.vcc.node.core.NodeCoreConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/** A VCC node: installed in one cloud, does that cloud's work for the server through its adapters. */
@SpringBootApplication
@Import(NodeCoreConfiguration.class)
public class VccNodeApplication {

    /** The application with its own configuration file name, so it can share a JVM with other services. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(VccNodeApplication.class)
                .properties("spring.config.name=vcc-node", "vcc.service-name=vcc-node");
    }

    public static void main(String[] args) {
        SpringApplication app = application().build();
        app.run(args);
    }
}
