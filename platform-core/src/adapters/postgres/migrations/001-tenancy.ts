import { CREATED, ID, TENANT, UPDATED, tenantIsolation, touchUpdatedAt, type Migration } from './migration.js';

/** Shared trigger functions, tenants (+ their state machine), teams, connections. */
export const migration001: Migration = {
  version: 1,
  name: 'tenancy',
  sql: `
CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END $$;

CREATE FUNCTION reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'HK004';
END $$;

CREATE TABLE tenants (
  ${ID},
  slug text NOT NULL CONSTRAINT tenants_slug_key UNIQUE
    CONSTRAINT tenants_slug_check CHECK (slug ~ '^[a-z][a-z0-9-]{2,62}$'),
  display_name text NOT NULL,
  state text NOT NULL DEFAULT 'PROVISIONING'
    CONSTRAINT tenants_state_check CHECK (state IN ('PROVISIONING', 'ACTIVE', 'SUSPENDED', 'ARCHIVED')),
  state_reason text,
  ${CREATED},
  ${UPDATED}
);
CREATE INDEX tenants_page_idx ON tenants (created_at DESC, id DESC);

-- The state machine of domain/catalog/tenant.ts, enforced here too; id and slug never change.
CREATE FUNCTION tenants_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id <> OLD.id OR NEW.slug <> OLD.slug THEN
    RAISE EXCEPTION 'tenant id and slug are immutable' USING ERRCODE = 'HK002';
  END IF;
  IF NEW.state <> OLD.state AND NOT (
       (OLD.state = 'PROVISIONING' AND NEW.state IN ('ACTIVE', 'ARCHIVED'))
    OR (OLD.state = 'ACTIVE' AND NEW.state IN ('SUSPENDED', 'ARCHIVED'))
    OR (OLD.state = 'SUSPENDED' AND NEW.state IN ('ACTIVE', 'ARCHIVED'))) THEN
    RAISE EXCEPTION 'a % tenant cannot become %', OLD.state, NEW.state USING ERRCODE = 'HK001';
  END IF;
  NEW.updated_at := now();
  RETURN NEW;
END $$;
CREATE TRIGGER tenants_guard BEFORE UPDATE ON tenants FOR EACH ROW EXECUTE FUNCTION tenants_guard();

-- A tenant sees its own row and nothing else; only the admin path writes tenants.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenants_self ON tenants FOR SELECT USING (id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT ON tenants TO {{app_role}};

-- Writes that need an ACTIVE tenant (register, deploy, run). Runs as the caller, under RLS: a
-- forged tenant_id finds no tenant row and fails here too.
CREATE FUNCTION require_active_tenant() RETURNS trigger LANGUAGE plpgsql SET search_path = {{schema}} AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM tenants WHERE id = NEW.tenant_id AND state = 'ACTIVE') THEN
    RAISE EXCEPTION 'the tenant is not active: no new rows in %', TG_TABLE_NAME USING ERRCODE = 'HK003';
  END IF;
  RETURN NEW;
END $$;

CREATE TABLE teams (
  ${ID},
  ${TENANT},
  name text NOT NULL,
  description text,
  members jsonb NOT NULL DEFAULT '[]' CONSTRAINT teams_members_check CHECK (jsonb_typeof(members) = 'array'),
  ${CREATED},
  ${UPDATED},
  CONSTRAINT teams_name_key UNIQUE (tenant_id, name),
  CONSTRAINT teams_tenant_id_key UNIQUE (tenant_id, id)
);
${tenantIsolation('teams')}
${touchUpdatedAt('teams')}

-- config holds plain settings; secrets maps a name to {"env": "NAME"} or {"enc": "<AES-256-GCM token>"}.
CREATE TABLE connections (
  id uuid PRIMARY KEY,
  ${TENANT},
  name text NOT NULL,
  connector_type text NOT NULL,
  description text,
  team_id uuid,
  config jsonb NOT NULL DEFAULT '{}' CONSTRAINT connections_config_check CHECK (jsonb_typeof(config) = 'object'),
  secrets jsonb NOT NULL DEFAULT '{}' CONSTRAINT connections_secrets_check CHECK (jsonb_typeof(secrets) = 'object'),
  ${CREATED},
  ${UPDATED},
  CONSTRAINT connections_name_key UNIQUE (tenant_id, name),
  CONSTRAINT connections_tenant_id_key UNIQUE (tenant_id, id),
  CONSTRAINT connections_team_fkey FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id)
);
${tenantIsolation('connections')}
${touchUpdatedAt('connections')}
`,
};
