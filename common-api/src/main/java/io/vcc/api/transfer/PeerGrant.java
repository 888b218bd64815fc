package io.vcc.api.transfer;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * Lets one peer node log in for one transfer only, with credentials the server made for it: to download
 * the exported package ({@code SERVE}, the source in a pull) or to upload it ({@code ACCEPT}, the target
 * in a push; {@code files} then says what may arrive, and {@code vdcId} the VDC it is for, whose organization's share
 * of the staging area it takes).
 */
public record PeerGrant(@NotNull Role role, @NotBlank String username, @NotBlank String secret, List<PackageFile> files,
                        String vdcId) {

    public enum Role { SERVE, ACCEPT }

    public PeerGrant {
        files = files == null ? List.of() : List.copyOf(files);
    }

    public PeerGrant(Role role, String username, String secret, List<PackageFile> files) {
        this(role, username, secret, files, null);
    }

    @Override
    public String toString() {
        return "PeerGrant[" + role + ", user " + username + ", secret=***, " + files.size() + " files]";
    }
}
