package io.vcc.ovf;

/**
 * An {@code OperatingSystemSection}.
 *
 * @param cimId       {@code ovf:id}, the CIM_OperatingSystem OsType number (e.g. 101 for 64-bit Linux)
 * @param description {@code Description}, or {@code null}
 * @param vendorType  the tool's own guest id ({@code vmw:osType} such as {@code ubuntu64Guest}, or VirtualBox's
 *                    {@code vbox:OSType} such as {@code Debian_64}), or {@code null}; far more precise than the
 *                    CIM number, which is why importers want it
 */
public record GuestOs(int cimId, String description, String vendorType) {

    public GuestOs {
        if (cimId < 0) {
            throw new IllegalArgumentException("negative OS type id");
        }
    }
}
