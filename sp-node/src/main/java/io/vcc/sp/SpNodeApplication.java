package io.vcc.sp;

import io.vcc.node.core.NodeCoreConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Import;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * A service-provider node: sits in a multi-tenant cloud with provider-level access and tells which tenant
 * owns which VM (seed 002, FIG. 23–24). Built on the VCC node's core: same registration, login and status.
 */
@SpringBootApplication
@Import(NodeCoreConfiguration.class)
@EntityScan(basePackageClasses = {SpNodeApplication.class, NodeCoreConfiguration.class})
@EnableJpaRepositories(basePackageClasses = {SpNodeApplication.class, NodeCoreConfiguration.class})
public class SpNodeApplication {

    /** The application with its own configuration file name, so it can share a JVM with other services. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(SpNodeApplication.class)
                .properties("spring.config.name=sp-node", "vcc.service-name=sp-node");
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
