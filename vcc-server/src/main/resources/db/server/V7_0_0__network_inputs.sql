-- Tenant network inputs (issue 13 section 5).
-- The CIDRs an admin allows tenants' local VTEPs of a cloud to lie in ("10.20.0.0/16,fd00:20::/48");
-- empty: none allowed until an admin sets them (or the server has vcc.networks.default-vtep-ranges).
ALTER TABLE cloud ADD COLUMN vtep_ranges VARCHAR(4000) NOT NULL DEFAULT '';
-- How many layer-2 networks a tenant may have; NULL: the server's default (vcc.networks.tenant-quota).
ALTER TABLE tenant ADD COLUMN network_quota INTEGER CHECK (network_quota BETWEEN 0 AND 4094);
