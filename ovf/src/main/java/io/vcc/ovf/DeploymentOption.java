package io.vcc.ovf;

/**
 * A {@code Configuration} of a descriptor's {@code DeploymentOptionSection}: one of the hardware profiles
 * (e.g. small, medium, large) a package offers.
 *
 * @param id        {@code ovf:id}, what a user names to choose it
 * @param label     {@code Label}, or {@code null}
 * @param isDefault marked {@code ovf:default="true"} (or the first, when none is marked)
 */
public record DeploymentOption(String id, String label, boolean isDefault) {

    public DeploymentOption {
        FileReference.requireText(id, "deployment option id");
    }
}
