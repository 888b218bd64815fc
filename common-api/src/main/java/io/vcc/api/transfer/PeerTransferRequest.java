package io.vcc.api.transfer;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;

/**
 * Move the package to (push) or from (pull) the peer at {@code peerBaseUrl}, logging in with the transfer's credentials.
 * {@code vdcId} is the target VDC: a pulling node charges its organization's share of the staging area.
 */
public record PeerTransferRequest(@NotBlank String peerBaseUrl, String peerProxy, @NotBlank String username,
                                  @NotBlank String secret, @NotEmpty List<PackageFile> files, String vdcId) {

    public PeerTransferRequest {
        files = files == null ? List.of() : List.copyOf(files);
    }

    public PeerTransferRequest(String peerBaseUrl, String peerProxy, String username, String secret, List<PackageFile> files) {
        this(peerBaseUrl, peerProxy, username, secret, files, null);
    }

    @Override
    public String toString() {
        return "PeerTransferRequest[" + peerBaseUrl + ", user " + username + ", secret=***, " + files.size() + " files]";
    }
}
