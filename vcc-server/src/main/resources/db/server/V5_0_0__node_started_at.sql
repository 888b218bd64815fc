-- When the node's process last started, as its status reports; a change means the node restarted and lost
-- what it keeps only in memory (the datapath's tag map and tunnel keys), so the server programs it again.
ALTER TABLE node ADD COLUMN started_at TIMESTAMPTZ;
