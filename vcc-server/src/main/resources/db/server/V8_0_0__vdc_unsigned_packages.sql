-- An admin may let a VDC import packages without a manifest (nothing vouches for their bytes); off by default.
ALTER TABLE vdc ADD COLUMN allow_unsigned_packages BOOLEAN NOT NULL DEFAULT FALSE;
