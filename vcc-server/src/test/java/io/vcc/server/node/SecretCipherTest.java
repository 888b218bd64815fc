package io.vcc.server.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class SecretCipherTest {

    private static SecretCipher cipher(byte fill) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, fill);
        return new SecretCipher(new MockEnvironment().withProperty("vcc.secret-key", Base64.getEncoder().encodeToString(key)));
    }

    @Test
    void encryptsWithAFreshNonceAndDecryptsBack() {
        SecretCipher cipher = cipher((byte) 1);
        String once = cipher.encrypt("node-secret");
        String twice = cipher.encrypt("node-secret");
        assertThat(once).isNotEqualTo(twice).doesNotContain("node-secret");
        assertThat(cipher.decrypt(once)).isEqualTo("node-secret");
        assertThat(cipher.decrypt(twice)).isEqualTo("node-secret");
    }

    @Test
    void refusesAnotherKeyOrATamperedValue() {
        String sealed = cipher((byte) 1).encrypt("node-secret");
        assertThatThrownBy(() -> cipher((byte) 2).decrypt(sealed)).hasMessageContaining("vcc.secret-key");
        byte[] bytes = Base64.getDecoder().decode(sealed);
        bytes[bytes.length - 1] ^= 1;
        assertThatThrownBy(() -> cipher((byte) 1).decrypt(Base64.getEncoder().encodeToString(bytes))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aKeyOfTheWrongLengthIsAClearStartupError() {
        assertThatThrownBy(() -> new SecretCipher(new MockEnvironment().withProperty("vcc.secret-key", Base64.getEncoder().encodeToString(new byte[16]))))
                .hasMessageContaining("32 bytes");
    }
}
