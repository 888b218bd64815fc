package io.vcc.support.client;

/** Where a node answers and the credentials to log into it. The secret never appears in logs. */
public record NodeEndpoint(String baseUrl, String proxy, String username, String secret) {

    @Override
    public String toString() {
        return "NodeEndpoint[" + baseUrl + (proxy == null ? "" : " via " + proxy) + ", user " + username + "]";
    }
}
