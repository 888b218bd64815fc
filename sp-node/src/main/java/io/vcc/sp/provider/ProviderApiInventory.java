package io.vcc.sp.provider;

import io.vcc.api.node.CloudCapacity;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VmInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.CloudInventory;
import io.vcc.support.client.RemoteProblems;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * The cloud's inventory read through its provider management API with provider credentials, as an SP
 * appliance reads a real cloud director. In the simulated cloud that API is served by the cloud's own VCC
 * node under {@code /sim/v1}.
 */
class ProviderApiInventory implements CloudInventory {

    private final RestClient rest;
    private final String url;

    /** With {@code ssl} (TLS on) an https provider API is checked against the CAs the SP node trusts. */
    ProviderApiInventory(String url, String username, String password, Duration timeout, SSLContext ssl) {
        this.url = url;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(timeout);
        if (ssl != null && url.regionMatches(true, 0, "https://", 0, 8)) {
            http.sslContext(ssl);
        }
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http.build());
        factory.setReadTimeout(timeout);
        this.rest = RestClient.builder()
                .baseUrl(url)
                .requestFactory(factory)
                .defaultHeaders(headers -> headers.setBasicAuth(username, password))
                .defaultStatusHandler(status -> status.isError(), (request, response) -> {
                    throw RemoteProblems.read(response, "The cloud's provider API at " + url);
                })
                .build();
    }

    @Override
    public List<String> organizations() {
        return get("/organizations", new ParameterizedTypeReference<>() { });
    }

    @Override
    public List<VdcInfo> vdcs(String organization) {
        return call(() -> rest.get().uri(builder -> {
            builder.path("/vdcs");
            if (organization != null) {
                builder.queryParam("organization", organization);
            }
            return builder.build();
        }).retrieve().body(new ParameterizedTypeReference<List<VdcInfo>>() { }));
    }

    @Override
    public Optional<VdcInfo> vdc(String vdcId) {
        try {
            return Optional.ofNullable(call(() -> rest.get().uri("/vdcs/{id}", vdcId).retrieve().body(VdcInfo.class)));
        } catch (VccProblemException e) {
            if (e.type() == ProblemType.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<VmInfo> vms(String vdcId) {
        return call(() -> rest.get().uri("/vdcs/{id}/vms", vdcId).retrieve().body(new ParameterizedTypeReference<List<VmInfo>>() { }));
    }

    @Override
    public CloudCapacity capacity() {
        return call(() -> rest.get().uri("/capacity").retrieve().body(CloudCapacity.class));
    }

    private <T> T get(String path, ParameterizedTypeReference<T> type) {
        return call(() -> rest.get().uri(path).retrieve().body(type));
    }

    private <T> T call(java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (ResourceAccessException e) {
            throw new VccProblemException(ProblemType.NODE_UNAVAILABLE, "The cloud's provider API at " + url + " is not reachable", e);
        }
    }
}
