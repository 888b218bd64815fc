package io.vcc.node.transfer;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TransferProperties.class)
class TransferConfiguration {

    /**
     * Tomcat reads a request body 8 KiB per system call by default; a package upload of several GiB then
     * makes hundreds of thousands of them. 128 KiB reads cut that 16-fold for a little memory per connection.
     * Direct socket buffers spare the JDK a copy through a temporary direct buffer on every read, and let a
     * receiver copy the body once, into the direct buffers it writes to disk from.
     */
    @Bean
    TomcatConnectorCustomizer largeBodyReads() {
        return connector -> {
            connector.setProperty("socket.appReadBufSize", Integer.toString(128 * 1024));
            connector.setProperty("socket.directBuffer", "true");
        };
    }

    /**
     * With TLS, Tomcat encrypts with BoringSSL where it loads ({@link OpenSslTomcat}) unless
     * {@code vcc.transfers.tls-engine=jdk}, into direct buffers that BoringSSL reads and writes without a copy.
     */
    @Bean
    TomcatConnectorCustomizer openSslEngine(TransferProperties properties) {
        return connector -> {
            if (!"jdk".equalsIgnoreCase(properties.tlsEngine()) && OpenSslTomcat.available()) {
                connector.setProperty("sslImplementationName", OpenSslTomcat.class.getName());
                connector.setProperty("socket.directSslBuffer", "true");
            }
        };
    }
}
