package io.vcc.support.web;

import java.util.List;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Every vcc service answers errors the same way, from whichever layer they come (MVC, filters, the error
 * dispatch, Tomcat itself), and bounds its JSON bodies.
 */
@AutoConfiguration(before = ErrorMvcAutoConfiguration.class)
public class ProblemAutoConfiguration {

    @Bean
    ProblemErrorController problemErrorController() {
        return new ProblemErrorController();
    }

    @Bean
    @ConditionalOnClass(Tomcat.class)
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReportValve() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

    @Bean
    ProblemExceptionHandler problemExceptionHandler() {
        return new ProblemExceptionHandler();
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(Environment environment) {
        long limit = environment.getProperty("vcc.max-json-bytes", Long.class, 1024L * 1024);
        List<String> internalPaths = List.of(environment.getProperty("vcc.internal-json-paths", String[].class, new String[0]));
        long internalLimit = environment.getProperty("vcc.max-internal-json-bytes", DataSize.class, DataSize.ofBytes(limit)).toBytes();
        var registration = new FilterRegistrationBean<>(new RequestSizeLimitFilter(limit, internalPaths, Math.max(limit, internalLimit)));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
