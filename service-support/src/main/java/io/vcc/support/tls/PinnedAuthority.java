package io.vcc.support.tls;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How a node trusts the server before it has anything to trust it with, as kubeadm's discovery token CA
 * hash does: it fetches the server's CA certificate without checking who answers, keeps it only when its
 * SHA-256 is the one the installer was given, and from then on checks the server against that CA.
 */
public final class PinnedAuthority {

    private PinnedAuthority() {
    }

    /** The server's CA certificate if its SHA-256 is {@code pin}; an {@link IllegalStateException} says why not. */
    public static X509Certificate fetch(String serverUrl, String pin, Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).sslContext(unchecked()).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(serverUrl.replaceAll("/+$", "") + "/api/v1/pki/ca.pem"))
                .timeout(timeout).GET().build();
        String pem;
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(serverUrl + " answered HTTP " + response.statusCode() + " for its CA certificate");
            }
            pem = response.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot fetch the CA certificate from " + serverUrl + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        List<X509Certificate> certificates = Pem.certificates(pem);
        if (certificates.size() != 1 || !Certificates.matches(pin, certificates.get(0))) {
            throw new IllegalStateException("The CA certificate " + serverUrl + " presents does not have the SHA-256 "
                    + "this node was given (VCC_NODE_SERVER_CA_SHA256); it is not the server's, or the pin is wrong");
        }
        return certificates.get(0);
    }

    /** Only for fetching (an extended manager, or the JDK would still check the host name) what is then checked against the pin: the answer's origin does not matter. */
    private static SSLContext unchecked() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509ExtendedTrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
                }

                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {
                }

                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
