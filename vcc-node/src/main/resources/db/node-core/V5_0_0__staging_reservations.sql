-- Room in the staging area, reserved up front by an upload (its length; an OVF upload's files each add theirs)
-- or an incoming transfer (its package's size) and given back when its staging goes. Kept here so that a
-- restarted node still counts what is being written; a row is deleted once, so bytes are given back once.
CREATE TABLE staging_reservation (
    owner_id   UUID          NOT NULL,
    -- '' for the upload or transfer itself, else the file of an OVF upload the row reserves for.
    part       VARCHAR(255)  NOT NULL,
    -- UPLOAD or TRANSFER
    kind       VARCHAR(16)   NOT NULL,
    -- The organization (tenant) charged, whose share of the budget the row counts against.
    tenant     VARCHAR(128)  NOT NULL,
    bytes      BIGINT        NOT NULL CHECK (bytes >= 0),
    created_at TIMESTAMPTZ   NOT NULL,
    PRIMARY KEY (owner_id, part)
);

CREATE INDEX staging_reservation_tenant ON staging_reservation (tenant);
