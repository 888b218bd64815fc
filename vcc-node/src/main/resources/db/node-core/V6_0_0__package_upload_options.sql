-- The deployment option asked for (then the one imported), who allowed a package without a manifest (null:
-- a manifest is required), and once imported whether a manifest vouched for the files.
ALTER TABLE package_upload ADD COLUMN deployment_option VARCHAR(255);
ALTER TABLE package_upload ADD COLUMN unsigned_allowed_by VARCHAR(200);
ALTER TABLE package_upload ADD COLUMN verified BOOLEAN;
