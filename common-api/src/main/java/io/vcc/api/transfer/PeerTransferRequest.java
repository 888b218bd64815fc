package io.vcc.api.transfer;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;

/** Move the package to (push) or from (pull) the peer at {@code peerBaseUrl}, logging in with the transfer's credentials. */
public record PeerTransferRequest(@NotBlank String peerBaseUrl, String peerProxy, @NotBlank String username,
                                  @NotBlank String secret, @NotEmpty List<PackageFile> files) {

    public PeerTransferRequest {
        files = files == null ? List.of() : List.copyOf(files);
    }

    @Override
    public String toString() {
        return "PeerTransferRequest[" + peerBaseUrl + ", user " + username + ", secret=***, " + files.size() + " files]";
    }
}
