-- An upload can be an OVF descriptor whose files follow as uploads of their own (null: an OVA).
ALTER TABLE package_upload ADD COLUMN descriptor_name VARCHAR(255);

-- The other files of an OVF upload: those its descriptor references and its manifest, expected (length null)
-- from when the descriptor is in, and its certificate when sent. committed_offset moves only after fsync.
CREATE TABLE package_upload_file (
    upload_id        UUID          NOT NULL REFERENCES package_upload (id) ON DELETE CASCADE,
    name             VARCHAR(255)  NOT NULL,
    -- What the descriptor says the file has, when it says; the upload's length must be that.
    declared_length  BIGINT,
    length           BIGINT,
    committed_offset BIGINT        NOT NULL DEFAULT 0,
    PRIMARY KEY (upload_id, name)
);
