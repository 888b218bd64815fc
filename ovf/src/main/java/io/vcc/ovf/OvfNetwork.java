package io.vcc.ovf;

/**
 * A {@code NetworkSection/Network}: a logical network the package's NICs connect to by name.
 *
 * @param name        {@code ovf:name}
 * @param description {@code Description}, or {@code null}
 */
public record OvfNetwork(String name, String description) {

    public OvfNetwork {
        FileReference.requireText(name, "network name");
    }
}
