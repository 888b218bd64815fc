package io.vcc.sp.provider;

import io.vcc.node.adapter.CloudInventory;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
class ProviderApiConfiguration {

    /** The cloud's provider API: its URL is the cloud URL the node registers with. */
    @Bean
    CloudInventory cloudInventory(Environment environment) {
        return new ProviderApiInventory(
                environment.getRequiredProperty("vcc.node.cloud.url"),
                environment.getProperty("vcc.sp.provider.username", "provider"),
                environment.getRequiredProperty("vcc.sp.provider.password"),
                environment.getProperty("vcc.sp.provider.timeout", Duration.class, Duration.ofSeconds(10)));
    }
}
