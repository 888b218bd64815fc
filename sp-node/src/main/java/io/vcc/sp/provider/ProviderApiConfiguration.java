package io.vcc.sp.provider;

import io.vcc.node.adapter.CloudInventory;
import io.vcc.support.tls.TlsContexts;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
class ProviderApiConfiguration {

    /** The cloud's provider API: its URL is the cloud URL the node registers with. */
    @Bean
    CloudInventory cloudInventory(Environment environment, TlsContexts tls) {
        return new ProviderApiInventory(
                required(environment, "vcc.node.cloud.url", "the URL of the cloud's provider API"),
                environment.getProperty("vcc.sp.provider.username", "provider"),
                required(environment, "vcc.sp.provider.password", "the provider password of that API"),
                environment.getProperty("vcc.sp.provider.timeout", Duration.class, Duration.ofSeconds(10)),
                tls.sslContext());
    }

    private static String required(Environment environment, String key, String what) {
        String value = environment.getProperty(key, "");
        if (value.isBlank()) {
            throw new IllegalStateException("An SP node needs " + key + ": " + what);
        }
        return value;
    }
}
