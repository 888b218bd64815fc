package io.vcc.api.transfer;

/**
 * Where an upload of a package into a VDC is: bytes still arriving, the complete package being verified and
 * imported, imported (the VM exists), or refused (nothing was created and the staged bytes are gone).
 */
public enum PackageUploadState {
    RECEIVING, IMPORTING, SUCCEEDED, FAILED
}
