package io.vcc.node.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vcc.ovf.OvfException;
import io.vcc.ovf.OvfException.Reason;
import io.vcc.api.problem.ProblemType;
import org.junit.jupiter.api.Test;

/** A refused package's problem type is what a client can act on, stable per reason. */
class PackageProblemsTest {

    @Test
    void aMissingManifestHasItsOwnTypeAndAnUnknownDeploymentOptionIsTheRequestsFault() {
        assertThat(PackageProblems.of(new OvfException(Reason.MISSING_MANIFEST, "the OVA has no manifest vm.mf")).type())
                .isEqualTo(ProblemType.MISSING_MANIFEST);
        assertThat(ProblemType.MISSING_MANIFEST.uri().toString()).isEqualTo("urn:vcc:problem:missing-manifest");
        assertThat(PackageProblems.of(new OvfException(Reason.UNKNOWN_DEPLOYMENT_OPTION, "not offered")).type())
                .isEqualTo(ProblemType.VALIDATION);
        assertThat(PackageProblems.of(new OvfException(Reason.DIGEST_MISMATCH, "differs")).type())
                .isEqualTo(ProblemType.PACKAGE_NOT_VERIFIED);
    }
}
