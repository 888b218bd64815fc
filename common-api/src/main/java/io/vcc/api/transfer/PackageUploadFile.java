package io.vcc.api.transfer;

/**
 * One file of an OVF upload besides its descriptor.
 *
 * @param length its size once its upload was created, {@code null} while it is only expected (the
 *               descriptor references it, or it is the manifest)
 * @param offset bytes durably received
 */
public record PackageUploadFile(String name, Long length, long offset) {

    public boolean complete() {
        return length != null && offset == length;
    }
}
