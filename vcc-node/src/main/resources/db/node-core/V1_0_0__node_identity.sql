-- Who this node is since it registered with the server (one row).
CREATE TABLE node_identity (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    node_id       UUID         NOT NULL,
    username      VARCHAR(100) NOT NULL,
    secret_hash   VARCHAR(200) NOT NULL,
    server_url    VARCHAR(500) NOT NULL,
    registered_at TIMESTAMPTZ  NOT NULL
);
