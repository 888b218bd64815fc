package io.vcc.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.core.env.Environment;

/**
 * Where a service keeps its files: {@code ${vcc.home}/<service>/}, {@code vcc.home} defaulting to
 * {@code ~/.vcc}. The service name comes from {@code vcc.service-name}, so two services on one machine
 * never share a directory.
 */
public record VccHome(Path serviceDirectory) {

    public static VccHome of(Environment environment) {
        String home = environment.getProperty("vcc.home", System.getProperty("user.home") + "/.vcc");
        String service = environment.getProperty("vcc.service-name", "vcc");
        Path directory = Path.of(home).toAbsolutePath().resolve(service);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory + " (set vcc.home to a writable directory)", e);
        }
        return new VccHome(directory);
    }

    public Path resolve(String name) {
        return serviceDirectory.resolve(name);
    }
}
