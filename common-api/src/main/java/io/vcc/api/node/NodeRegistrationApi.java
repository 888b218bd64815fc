package io.vcc.api.node;

import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/** The server endpoint a node calls once, at install time, with its one-time registration token. */
@HttpExchange("/api/v1/nodes")
public interface NodeRegistrationApi {

    @PostExchange("/register")
    NodeRegistrationResponse register(@RequestBody NodeRegistrationRequest request);
}
