import { Type, type Static } from '@sinclair/typebox';
import { Strict, StringEnum, API_VERSION } from './common.js';
import { DEFAULT_MAX_FILE_BYTES, MAX_MAX_FILE_BYTES, MIN_MAX_FILE_BYTES } from '../file-limits.js';

export const CONNECTION_TYPES = [
  'postgres',
  'mysql',
  'oracle',
  'http',
  's3',
  'sftp',
  'kafka',
  'redpanda',
  'file',
] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];
export const TENANT_PATTERN = '^[a-z][a-z0-9-]{2,62}$';

export const ConnectionSchema = Strict(
  {
    name: Type.String({
      pattern: '^[a-z0-9][a-z0-9_-]*$',
      maxLength: 63,
      description: 'Name that inputs use as connector_ref.',
    }),
    type: StringEnum(CONNECTION_TYPES, {
      description: 'postgres, mysql, oracle, http, s3, sftp, kafka/redpanda or file.',
    }),
    description: Type.Optional(Type.String()),
    config: Type.Optional(
      Type.Object(
        {},
        { additionalProperties: true, description: 'Connection settings; secrets only as env:NAME references.' },
      ),
    ),
  },
  { title: 'Connection' },
);

export const TeamSchema = Type.Union(
  [
    Type.String({ minLength: 1 }),
    Strict({
      name: Type.String({ minLength: 1 }),
      description: Type.Optional(Type.String()),
      members: Type.Optional(Type.Array(Type.String())),
    }),
  ],
  { description: 'A team name, or an object with name and members.' },
);

export const WorkspaceConfigSchema = Strict(
  {
    apiVersion: Type.Optional(Type.Literal(API_VERSION, { description: `Optional header: \`${API_VERSION}\`.` })),
    kind: Type.Optional(Type.Literal('Workspace', { description: 'Optional header: `Workspace`.' })),
    tenant: Type.Optional(
      Type.String({
        pattern: TENANT_PATTERN,
        description: 'Tenant slug: starts with a letter, 3–63 lowercase letters, digits or hyphens.',
      }),
    ),
    teams: Type.Optional(
      Type.Array(TeamSchema, { description: 'Registered teams; every product owner must be one of them.' }),
    ),
    connections: Type.Optional(
      Type.Array(ConnectionSchema, { description: 'Connections that connector inputs name.' }),
    ),
    limits: Type.Optional(
      Strict(
        {
          max_file_bytes: Type.Optional(
            Type.Integer({
              minimum: MIN_MAX_FILE_BYTES,
              maximum: MAX_MAX_FILE_BYTES,
              description: `Largest manifest or logic file read, in bytes (default ${DEFAULT_MAX_FILE_BYTES}, 1 MiB; at most ${MAX_MAX_FILE_BYTES}). A larger file is refused (MAN-007) before it is read; hekima.yaml itself is held to the default.`,
            }),
          ),
        },
        { description: 'Limits on what the workspace may ask the platform to read.' },
      ),
    ),
  },
  { title: 'Hekima workspace (hekima.yaml)', description: 'Tenant, teams and connections of a workspace.' },
);

export type WorkspaceConfig = Static<typeof WorkspaceConfigSchema>;
export type ConnectionDeclaration = Static<typeof ConnectionSchema>;
