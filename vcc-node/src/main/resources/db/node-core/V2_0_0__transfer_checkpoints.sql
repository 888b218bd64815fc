-- Checkpoint-restart transfers (seed 002, FIG. 18-19): what this node logged of each transfer it takes part in.
-- side: SOURCE (this node exported and sends or serves the package) or TARGET (this node receives it).

-- Per file: its expected size and digest, and the offset up to which it is durably committed.
CREATE TABLE transfer_file (
    transfer_id      UUID         NOT NULL,
    side             VARCHAR(10)  NOT NULL,
    name             VARCHAR(255) NOT NULL,
    size             BIGINT       NOT NULL,
    sha256           CHAR(64)     NOT NULL,
    chunk_size       INTEGER      NOT NULL,
    committed_offset BIGINT       NOT NULL DEFAULT 0,
    updated_at       TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (transfer_id, side, name)
);

-- Per committed chunk: written only after the chunk is on disk (fsync) and its digest matched.
CREATE TABLE transfer_chunk (
    transfer_id  UUID         NOT NULL,
    side         VARCHAR(10)  NOT NULL,
    name         VARCHAR(255) NOT NULL,
    idx          INTEGER      NOT NULL,
    start_offset BIGINT       NOT NULL,
    length       INTEGER      NOT NULL,
    sha256       CHAR(64)     NOT NULL,
    committed_at TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (transfer_id, side, name, idx),
    FOREIGN KEY (transfer_id, side, name) REFERENCES transfer_file (transfer_id, side, name) ON DELETE CASCADE
);

-- Credentials the server issued for one transfer, so one peer node may log in for that transfer only.
CREATE TABLE transfer_grant (
    transfer_id UUID         PRIMARY KEY,
    role        VARCHAR(10)  NOT NULL,
    username    VARCHAR(100) NOT NULL,
    secret_hash VARCHAR(200) NOT NULL,
    files_json  TEXT         NOT NULL,
    expires_at  TIMESTAMPTZ  NOT NULL
);

-- The VM a transfer imported here, written in the same transaction as the VM: import runs at most once.
CREATE TABLE transfer_import (
    transfer_id UUID        PRIMARY KEY,
    vm_id       VARCHAR(64) NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
