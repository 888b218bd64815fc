package io.vcc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * There is no Docker engine here to run docker-compose.yml, so this reads it and checks it against the
 * services themselves: every service it starts exists, every port is the one that service listens on, every
 * environment variable binds to a setting the service has, and the registration and database wiring holds.
 */
class DockerComposeConfigurationTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Map<String, String> CONFIG_OF_COMMAND = Map.of(
            "server", "vcc-server.yml", "node", "vcc-node.yml", "sp-node", "sp-node.yml");

    private static Map<String, Map<String, Object>> services;
    private static final Set<String> BOOT_PROPERTIES = new HashSet<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        services = (Map<String, Map<String, Object>>) compose.get("services");
        for (URL url : Collections.list(DockerComposeConfigurationTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                for (JsonNode property : JsonMapper.shared().readTree(in).path("properties")) {
                    BOOT_PROPERTIES.add(canonical(property.path("name").asString()));
                }
            }
        }
    }

    @Test
    void everyServiceRunsAServiceTheImageHas() throws IOException {
        String entrypoint = Files.readString(ROOT.resolve("docker/entrypoint.sh"));
        vccServices().forEach((name, service) -> {
            String command = command(service);
            assertThat(CONFIG_OF_COMMAND).as(name).containsKey(command);
            assertThat(entrypoint).as("entrypoint knows " + command).contains("  " + command + ")");
        });
        assertThat(vccServices().values().stream().map(DockerComposeConfigurationTest::command))
                .containsExactlyInAnyOrder("server", "server", "node", "node", "sp-node");
    }

    @Test
    void serverReplicasShareTheDatabaseTheNodeSecretKeyAndTheCaAndNothingElse() {
        List<Map<String, String>> replicas = vccServices().values().stream().filter(service -> command(service).equals("server"))
                .map(DockerComposeConfigurationTest::environment).toList();
        assertThat(replicas).hasSize(2);
        for (String shared : List.of("SPRING_DATASOURCE_URL", "VCC_SECRET_KEY", "VCC_TLS_CA_CERTIFICATE", "VCC_TLS_CA_PRIVATE_KEY",
                "VCC_ADMIN_PASSWORD", "VCC_NODE_REGISTRATION_PRESET_TOKENS")) {
            assertThat(replicas).extracting(env -> env.get(shared)).as(shared).doesNotContainNull().containsOnly(replicas.get(0).get(shared));
        }
        // a key generated per replica could not decrypt what another stored
        assertThat(replicas.get(0).get("VCC_SECRET_KEY")).startsWith("${VCC_SECRET_KEY:?");
        assertThat(replicas).extracting(env -> env.get("VCC_TLS_HOSTNAMES")).doesNotHaveDuplicates();
        assertThat(vccServices().entrySet()).filteredOn(entry -> command(entry.getValue()).equals("server"))
                .allSatisfy(entry -> assertThat(entry.getValue().get("volumes").toString()).as(entry.getKey()).contains("vcc-ca:/var/lib/vcc-ca"));
    }

    @Test
    void everyEnvironmentVariableBindsToASettingOfItsService() {
        vccServices().forEach((name, service) -> {
            Set<String> known = new HashSet<>(BOOT_PROPERTIES);
            flatten("", serviceConfig(command(service)), known);
            environment(service).keySet().forEach(variable ->
                    assertThat(known).as(name + ": " + variable + " is no setting of " + command(service))
                            .contains(canonical(variable)));
        });
    }

    @Test
    void everyPublishedPortIsThePortTheServiceListensOn() {
        vccServices().forEach((name, service) -> {
            String listening = environment(service).getOrDefault("SERVER_PORT",
                    String.valueOf(((Map<?, ?>) serviceConfig(command(service)).get("server")).get("port")));
            @SuppressWarnings("unchecked")
            List<String> ports = (List<String>) service.get("ports");
            assertThat(ports).as(name).hasSize(1);
            assertThat(ports.get(0)).as(name).endsWith(":" + listening);
        });
    }

    @Test
    void nodesRegisterWithTokensTheServerWasPresetWithAndTalkToServicesThatExist() {
        Map<String, String> server = environment(services.get("vcc-server"));
        List<String> preset = List.of(server.get("VCC_NODE_REGISTRATION_PRESET_TOKENS").split(","));
        Set<String> tokens = new HashSet<>();
        vccServices().forEach((name, service) -> {
            Map<String, String> env = environment(service);
            if (!command(service).equals("server")) {
                assertThat(preset).as(name).contains(env.get("VCC_NODE_REGISTRATION_TOKEN"));
                assertThat(tokens.add(env.get("VCC_NODE_REGISTRATION_TOKEN"))).as(name + " has a token of its own").isTrue();
                assertThat(env.get("VCC_NODE_SERVER_URL")).isEqualTo("https://vcc-server:" + environment(services.get("vcc-server")).get("SERVER_PORT"));
                assertThat(env.get("VCC_NODE_BASE_URL")).isEqualTo("https://" + name + ":" + env.get("SERVER_PORT"));
                assertThat(preset).allSatisfy(token -> assertThat(token.length()).isGreaterThanOrEqualTo(16));
            }
            hostsIn(env).forEach(host -> assertThat(services).as(name + " refers to " + host).containsKey(host));
        });
    }

    @Test
    void everyServiceServesAndCallsOverTlsAndTrustsTheServersCa() {
        vccServices().forEach((name, service) -> {
            Map<String, String> env = environment(service);
            assertThat(env.get("VCC_TLS_ENABLED")).as(name).isEqualTo("true");
            assertThat(env.get("VCC_TLS_TRUST")).as(name).isEqualTo("/var/lib/vcc-trust/ca.pem");
            assertThat(env.values()).as(name).noneMatch(value -> value.startsWith("http://"));
        });
    }

    @Test
    void everyServiceHasADatabaseOfItsOwnThatPostgresCreates() throws IOException {
        String init = Files.readString(ROOT.resolve("docker/postgres-init.sql"));
        Set<String> databases = new HashSet<>();
        vccServices().forEach((name, service) -> {
            String url = environment(service).get("SPRING_DATASOURCE_URL");
            assertThat(url).as(name).startsWith("jdbc:postgresql://postgres:5432/");
            String database = url.substring(url.lastIndexOf('/') + 1);
            // server replicas share theirs (checked above); every other service has its own
            boolean replica = command(service).equals("server") && database.equals("vcc_server");
            assertThat(databases.add(database) || replica).as(name + " shares database " + database).isTrue();
            assertThat(init).contains("CREATE DATABASE " + database + ";");
        });
    }

    @Test
    void theImageBuildsEveryModule() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (modules.find()) {
            assertThat(dockerfile).contains("COPY " + modules.group(1) + "/pom.xml " + modules.group(1) + "/");
        }
    }

    private static Map<String, Map<String, Object>> vccServices() {
        Map<String, Map<String, Object>> result = new java.util.TreeMap<>(services);
        result.remove("postgres");
        return result;
    }

    private static String command(Map<String, Object> service) {
        return ((List<?>) service.get("command")).get(0).toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new java.util.TreeMap<>();
        ((Map<String, Object>) service.get("environment")).forEach((key, value) -> env.put(key, String.valueOf(value)));
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> serviceConfig(String command) {
        try (InputStream in = DockerComposeConfigurationTest.class.getClassLoader().getResourceAsStream(CONFIG_OF_COMMAND.get(command))) {
            assertThat(in).as(CONFIG_OF_COMMAND.get(command)).isNotNull();
            return new Yaml().load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> tree, Set<String> into) {
        tree.forEach((key, value) -> {
            String name = prefix.isEmpty() ? key : prefix + "." + key;
            into.add(canonical(name));
            if (value instanceof Map<?, ?> map) {
                flatten(name, (Map<String, Object>) map, into);
            }
        });
    }

    private static Set<String> hostsIn(Map<String, String> env) {
        Set<String> hosts = new HashSet<>();
        Matcher matcher = Pattern.compile("(?:https?|jdbc:postgresql)://([a-z0-9-]+):").matcher(String.join(" ", env.values()));
        while (matcher.find()) {
            hosts.add(matcher.group(1));
        }
        return hosts;
    }

    /** Spring's relaxed binding: VCC_NODE_SERVER_URL and vcc.node.server-url name the same setting. */
    private static String canonical(String name) {
        return name.toLowerCase().replaceAll("[._-]", "");
    }
}
