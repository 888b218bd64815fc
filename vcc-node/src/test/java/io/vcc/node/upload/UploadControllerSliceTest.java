package io.vcc.node.upload;

import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.vcc.support.web.ProblemAutoConfiguration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The upload controller alone (no database, no staging): bad input answers problem+json with a stable type and
 * never reaches the upload service, so nothing is created or written.
 */
@WebMvcTest
@AutoConfigureMockMvc(addFilters = false)
@ImportAutoConfiguration(ProblemAutoConfiguration.class)
class UploadControllerSliceTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    PackageUploadService uploads;

    /** Only the controller: the application's own configuration would scan the node core (database, identity). */
    @Configuration(proxyBeanMethods = false)
    @Import(UploadController.class)
    static class Slice {
    }

    @Test
    void aNegativeOffsetIsAValidationProblemAndWritesNothing() throws Exception {
        mvc.perform(patch("/node/v1/uploads/{id}", UUID.randomUUID()).param("vdcId", "vdc-1")
                        .header("Upload-Offset", "-1").contentType(UploadController.OFFSET_STREAM).content(new byte[] {1, 2, 3}))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:vcc:problem:validation"));
        verifyNoInteractions(uploads);
    }

    @Test
    void anUploadIdThatIsNoUuidIsNotFound() throws Exception {
        mvc.perform(get("/node/v1/uploads/{id}", "not-a-uuid").param("vdcId", "vdc-1"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:vcc:problem:not-found"));
        verifyNoInteractions(uploads);
    }

    @Test
    void anUploadWithoutLengthOrVdcIsAValidationProblem() throws Exception {
        mvc.perform(post("/node/v1/uploads").contentType(MediaType.APPLICATION_JSON).content("{\"vdcId\":\"\",\"length\":0}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:vcc:problem:validation"));
        verifyNoInteractions(uploads);
    }
}
