package io.vcc.server.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vcc.api.problem.VccProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** An import's options come from tus {@code Upload-Metadata} or, overriding it, from the query string. */
class ImportOptionsTest {

    @Test
    void tusMetadataIsBase64AndTheQueryOverridesIt() {
        String metadata = "name " + base64("from-metadata") + ",keepMacs " + base64("true") + ",filename " + base64("a.ova");

        assertThat(PackageImportController.options(null, metadata))
                .containsEntry("name", "from-metadata").containsEntry("keepMacs", "true").containsEntry("filename", "a.ova");
        assertThat(PackageImportController.options("name=web%2D01&keepMacs=false", metadata))
                .containsEntry("name", "web-01").containsEntry("keepMacs", "false");
        assertThat(PackageImportController.options(null, "empty")).containsEntry("empty", "");
    }

    @Test
    void metadataThatIsNotBase64IsRefused() {
        assertThatThrownBy(() -> PackageImportController.options(null, "name ***"))
                .isInstanceOf(VccProblemException.class).hasMessageContaining("not base64");
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
