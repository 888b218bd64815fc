-- Node revocation and secret rotation. A revoked node keeps its row (VDCs, registrations and history point
-- to it) with who revoked it and when. A secret being handed to a node waits in pending_secret_encrypted
-- until the node has taken it, so that neither a crash nor a lost answer locks the server out.
ALTER TABLE node ADD COLUMN revoked_at TIMESTAMPTZ;
ALTER TABLE node ADD COLUMN revoked_by VARCHAR(63);
ALTER TABLE node ADD COLUMN pending_secret_encrypted VARCHAR(500);

-- Every rotation and revocation: what happened, to which node, when and by whom.
CREATE TABLE node_credential_event (
    id       UUID PRIMARY KEY,
    node_id  UUID         NOT NULL REFERENCES node (id),
    kind     VARCHAR(30)  NOT NULL,
    actor    VARCHAR(63)  NOT NULL,
    at       TIMESTAMPTZ  NOT NULL,
    detail   VARCHAR(500)
);
CREATE INDEX node_credential_event_node ON node_credential_event (node_id, at);
