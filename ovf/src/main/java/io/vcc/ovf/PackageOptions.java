package io.vcc.ovf;

/**
 * How a package is read: which deployment option's hardware, and whether it must have a manifest.
 *
 * @param deploymentOption the {@code DeploymentOptionSection} configuration to read, or {@code null} for the
 *                         package's default
 * @param manifestRequired refuse a package without a manifest ({@link OvfException.Reason#MISSING_MANIFEST}).
 *                         Without one, nothing vouches for the files' bytes: they are checked only against the
 *                         sizes the descriptor states. A manifest that is present is always verified.
 */
public record PackageOptions(String deploymentOption, boolean manifestRequired) {

    /** The default deployment option; a manifest required. */
    public static PackageOptions defaults() {
        return new PackageOptions(null, true);
    }
}
