package io.vcc.node.packaging;

import io.vcc.ovf.OvfException;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;

/**
 * What a refused package is as a problem: unsafe, without a manifest, not matching its manifest, unsupported, a
 * deployment option it does not offer (the request's fault), or else invalid.
 */
public final class PackageProblems {

    private PackageProblems() {
    }

    public static VccProblemException of(OvfException e) {
        ProblemType type = switch (e.reason()) {
            case UNSAFE_XML, PATH_TRAVERSAL, UNSAFE_MEMBER -> ProblemType.PACKAGE_UNSAFE;
            case MISSING_MANIFEST -> ProblemType.MISSING_MANIFEST;
            case DIGEST_MISMATCH, SIZE_MISMATCH, NOT_IN_MANIFEST, BAD_SIGNATURE -> ProblemType.PACKAGE_NOT_VERIFIED;
            case UNKNOWN_DEPLOYMENT_OPTION -> ProblemType.VALIDATION;
            case UNSUPPORTED -> ProblemType.PACKAGE_UNSUPPORTED;
            default -> ProblemType.PACKAGE_INVALID;
        };
        return new VccProblemException(type, "The package was refused (" + e.reason().code() + "): " + e.detail(), e);
    }
}
