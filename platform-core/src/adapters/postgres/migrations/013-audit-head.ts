import { CURRENT_TENANT, type Migration } from './migration.js';

/**
 * The audit trail's signed head (docs/adr/0018). Deleting the newest rows of a hash chain leaves a
 * shorter chain that still verifies; the head anchors the chain's end OUTSIDE the rows it protects.
 *
 * - `audit_heads`: one row per tenant (seq, hash of the newest entry, HMAC-SHA256 signature),
 *   advanced by an AFTER INSERT trigger on `audit_log`, so in the same transaction as every append.
 *   An append that does not extend the head (seq + 1, prev_hash = head hash) is refused (HK005).
 *   Event-log pruning never touches it.
 * - `audit_head_key`: the HMAC key (64 random bytes, created on first use, so a catalog template
 *   never carries one). The app role has no grant on either table, RLS denies it every row, and
 *   the functions that read the key are SECURITY DEFINER, owned by the catalog owner, with
 *   EXECUTE revoked from PUBLIC. The app role may only ask `audit_head_check()` for its own
 *   tenant's head and whether its signature holds.
 * - Tenants with entries from before this migration get a head signed now.
 */
export const migration013: Migration = {
  version: 13,
  name: 'audit-head',
  sql: `
CREATE TABLE audit_head_key (
  id boolean PRIMARY KEY DEFAULT true CONSTRAINT audit_head_key_single CHECK (id),
  key bytea NOT NULL CONSTRAINT audit_head_key_length CHECK (octet_length(key) = 64),
  created_at timestamptz(3) NOT NULL DEFAULT now()
);
ALTER TABLE audit_head_key ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_head_key FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_head_key_owner_only ON audit_head_key USING (false) WITH CHECK (false);

CREATE TABLE audit_heads (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  seq bigint NOT NULL CONSTRAINT audit_heads_seq_check CHECK (seq >= 1),
  hash text NOT NULL CONSTRAINT audit_heads_hash_check CHECK (hash ~ '^[0-9a-f]{64}$'),
  signature text NOT NULL CONSTRAINT audit_heads_signature_check CHECK (signature ~ '^[0-9a-f]{64}$'),
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);
ALTER TABLE audit_heads ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_heads FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_heads_tenant_isolation ON audit_heads
  USING (tenant_id = ${CURRENT_TENANT})
  WITH CHECK (tenant_id = ${CURRENT_TENANT});

-- HMAC-SHA256 (RFC 2104) over a 64-byte key, with the built-in sha256().
CREATE FUNCTION audit_hmac(key bytea, message text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  inner_key bytea := key;
  outer_key bytea := key;
BEGIN
  IF octet_length(key) <> 64 THEN
    RAISE EXCEPTION 'audit_hmac needs a 64-byte key';
  END IF;
  FOR i IN 0..63 LOOP
    inner_key := set_byte(inner_key, i, get_byte(key, i) # 54);
    outer_key := set_byte(outer_key, i, get_byte(key, i) # 92);
  END LOOP;
  RETURN encode(sha256(outer_key || sha256(inner_key || convert_to(message, 'UTF8'))), 'hex');
END $$;

CREATE FUNCTION audit_head_signature(tenant uuid, head_seq bigint, head_hash text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {{schema}}, pg_temp AS $$
DECLARE
  k bytea;
BEGIN
  SELECT key INTO k FROM audit_head_key;
  IF k IS NULL THEN
    INSERT INTO audit_head_key (key)
    VALUES (decode(replace(gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text
                           || gen_random_uuid()::text, '-', ''), 'hex'))
    ON CONFLICT (id) DO NOTHING;
    SELECT key INTO k FROM audit_head_key;
  END IF;
  RETURN audit_hmac(k, tenant::text || ':' || head_seq::text || ':' || head_hash);
END $$;
REVOKE ALL ON FUNCTION audit_head_signature(uuid, bigint, text) FROM PUBLIC;

CREATE FUNCTION audit_head_advance() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {{schema}}, pg_temp AS $$
DECLARE
  head audit_heads%ROWTYPE;
BEGIN
  SELECT * INTO head FROM audit_heads WHERE tenant_id = NEW.tenant_id FOR UPDATE;
  IF NOT FOUND THEN
    IF NEW.seq <> 1 THEN
      RAISE EXCEPTION 'audit_log: seq % has no signed head to extend (the head record is missing)', NEW.seq
        USING ERRCODE = 'HK005';
    END IF;
    INSERT INTO audit_heads (tenant_id, seq, hash, signature)
    VALUES (NEW.tenant_id, NEW.seq, NEW.hash, audit_head_signature(NEW.tenant_id, NEW.seq, NEW.hash));
  ELSE
    IF NEW.seq <> head.seq + 1 OR NEW.prev_hash <> head.hash THEN
      RAISE EXCEPTION 'audit_log: seq % does not extend the signed head (seq %)', NEW.seq, head.seq
        USING ERRCODE = 'HK005';
    END IF;
    UPDATE audit_heads
       SET seq = NEW.seq, hash = NEW.hash, updated_at = now(),
           signature = audit_head_signature(NEW.tenant_id, NEW.seq, NEW.hash)
     WHERE tenant_id = NEW.tenant_id;
  END IF;
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION audit_head_advance() FROM PUBLIC;
CREATE TRIGGER audit_log_head AFTER INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_head_advance();

-- What the app role may know: its own tenant's head, and whether the signature holds.
CREATE FUNCTION audit_head_check() RETURNS TABLE (seq bigint, hash text, signed boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {{schema}}, pg_temp AS $$
BEGIN
  RETURN QUERY
    SELECT h.seq, h.hash, h.signature = audit_head_signature(h.tenant_id, h.seq, h.hash)
      FROM audit_heads h
     WHERE h.tenant_id = ${CURRENT_TENANT};
END $$;
REVOKE ALL ON FUNCTION audit_head_check() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_head_check() TO {{app_role}};

INSERT INTO audit_heads (tenant_id, seq, hash, signature)
SELECT DISTINCT ON (tenant_id) tenant_id, seq, hash, audit_head_signature(tenant_id, seq, hash)
  FROM audit_log
 ORDER BY tenant_id, seq DESC;
`,
};
