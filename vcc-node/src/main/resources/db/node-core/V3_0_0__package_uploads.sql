-- Packages (OVAs) uploaded into a VDC through the server, tus-style: the bytes go to a staging file, and
-- committed_offset moves only after they are fsynced, so a cut upload resumes exactly there.
CREATE TABLE package_upload (
    id               UUID          PRIMARY KEY,
    vdc_id           VARCHAR(64)   NOT NULL,
    name             VARCHAR(63),
    keep_macs        BOOLEAN       NOT NULL,
    -- What the package becomes: VM, VAPP or TEMPLATE (in the VDC's catalog).
    kind             VARCHAR(16)   NOT NULL,
    length           BIGINT        NOT NULL,
    committed_offset BIGINT        NOT NULL DEFAULT 0,
    state            VARCHAR(16)   NOT NULL,
    -- The imported VM, vApp or template, written in the same transaction as it: an import runs at most once.
    imported_id      VARCHAR(64),
    problem_type     VARCHAR(100),
    problem_detail   VARCHAR(2000),
    created_at       TIMESTAMPTZ   NOT NULL,
    updated_at       TIMESTAMPTZ   NOT NULL
);

CREATE INDEX package_upload_vdc ON package_upload (vdc_id);
