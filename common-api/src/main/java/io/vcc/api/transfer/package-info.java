/**
 * The node-side contract of checkpoint-restart transfers (seed 002, FIG. 17–19): what the server asks a
 * node to do for one transfer (export, accept or serve a package, push or pull it, verify, import, clean
 * up), and the records peers exchange. The data itself moves between nodes under
 * {@code /node/v1/packages/{transferId}/...} with HTTP {@code Range} downloads and offset uploads.
 */
package io.vcc.api.transfer;
