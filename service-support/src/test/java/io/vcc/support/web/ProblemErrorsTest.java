package io.vcc.support.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vcc.support.db.EmbeddedPostgresAutoConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Every error is problem+json, also those answered before any of vcc's code runs: by Tomcat while it parses
 * the request, and by the container's error dispatch. Raw sockets, because an HTTP client refuses to send
 * what these requests hold.
 */
@SpringBootTest(classes = ProblemErrorsTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProblemErrorsTest {

    @LocalServerPort
    int port;

    @Test
    void aPathWithABraceThatTomcatRejectsIsAProblem() throws IOException {
        String answer = send("GET /api/v1/tenants/{id} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertProblem(answer, "400", "urn:vcc:problem:malformed-request");
        assertThat(answer).doesNotContain("<html");
    }

    @Test
    void headersOverTheLimitAreAProblem() throws IOException {
        String range = "bytes=" + "0-1,".repeat(4000) + "0-1";
        String answer = send("GET /ok HTTP/1.1\r\nHost: localhost\r\nRange: " + range + "\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 4");
        assertThat(answer).contains("application/problem+json").contains("\"type\":\"urn:vcc:problem:");
        assertThat(answer).doesNotContain("<html");
    }

    @Test
    void aRequestTheSecurityFirewallRejectsIsAProblem() throws IOException {
        String answer = send("GET /ok/%2e%2e/ok HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertProblem(answer, "400", "urn:vcc:problem:malformed-request");
        assertThat(answer).doesNotContain("\"timestamp\"");
    }

    @Test
    void anErrorAFilterSendsIsAProblem() throws IOException {
        String answer = send("GET /ok HTTP/1.1\r\nHost: localhost\r\nX-Send-Error: 503\r\nConnection: close\r\n\r\n");
        assertProblem(answer, "503", "urn:vcc:problem:node-unavailable");
    }

    @Test
    void aGoodRequestIsAnsweredAsUsual() throws IOException {
        String answer = send("GET /ok HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200").endsWith("ok");
    }

    private static void assertProblem(String answer, String status, String type) {
        assertThat(answer).startsWith("HTTP/1.1 " + status);
        assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(answer).contains("\"type\":\"" + type + "\"").contains("\"status\":" + status).contains("\"detail\":\"");
    }

    private String send(String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @SpringBootApplication(exclude = {DataSourceAutoConfiguration.class, EmbeddedPostgresAutoConfiguration.class})
    static class App {

        @Bean
        SecurityFilterChain open(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .addFilterBefore((request, response, chain) -> {
                        String code = ((jakarta.servlet.http.HttpServletRequest) request).getHeader("X-Send-Error");
                        if (code != null && request.getDispatcherType() == jakarta.servlet.DispatcherType.REQUEST) {
                            ((jakarta.servlet.http.HttpServletResponse) response).sendError(Integer.parseInt(code));
                            return;
                        }
                        chain.doFilter(request, response);
                    }, org.springframework.security.web.context.SecurityContextHolderFilter.class)
                    .build();
        }

        @RestController
        static class Ok {
            @GetMapping("/ok")
            String ok() {
                return "ok";
            }
        }
    }
}
