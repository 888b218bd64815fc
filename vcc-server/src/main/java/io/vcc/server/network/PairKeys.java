package io.vcc.server.network;

import io.vcc.api.datapath.KeySpec;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.springframework.stereotype.Component;

/** Fresh AES keys for node-pair tunnels, from the platform's strong random source. */
@Component
class PairKeys {

    private final SecureRandom random = new SecureRandom();
    private final int octets;

    PairKeys(NetworkProperties properties) {
        this.octets = properties.tunnelKeyBits() / 8;
    }

    KeySpec generate(int keyId, KeySpec.Use use) {
        byte[] secret = new byte[octets];
        random.nextBytes(secret);
        try {
            return new KeySpec(keyId, Base64.getEncoder().encodeToString(secret), use);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
