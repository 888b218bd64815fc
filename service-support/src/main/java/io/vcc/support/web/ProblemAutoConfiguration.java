package io.vcc.support.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/** Every vcc service answers errors the same way and bounds its JSON bodies. */
@AutoConfiguration
public class ProblemAutoConfiguration {

    @Bean
    ProblemExceptionHandler problemExceptionHandler() {
        return new ProblemExceptionHandler();
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(Environment environment) {
        long limit = environment.getProperty("vcc.max-json-bytes", Long.class, 1024L * 1024);
        var registration = new FilterRegistrationBean<>(new RequestSizeLimitFilter(limit));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
