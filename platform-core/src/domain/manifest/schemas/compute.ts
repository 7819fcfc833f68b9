import { Type, type Static } from '@sinclair/typebox';
import { header, Strict, StringEnum, Duration } from './common.js';
import { QUANTITY_PATTERN } from '../../quantity.js';

export const RUNTIMES = ['sql', 'python'] as const;
export const MODES = ['transform', 'train', 'inference'] as const;
export const ENGINES = ['auto', 'duckdb', 'spark'] as const;
export const SCHEDULE_TYPES = ['cron', 'event', 'manual'] as const;
export const BACKOFFS = ['fixed', 'exponential'] as const;

const Quantity = (options: Record<string, unknown>) =>
  Type.String({ pattern: QUANTITY_PATTERN, format: 'quantity', ...options });

export const ComputeSchema = Strict(
  {
    ...header('Compute'),
    runtime: Type.Optional(
      StringEnum(RUNTIMES, { description: 'sql (DuckDB) or python. Defaults from the entrypoint’s extension.' }),
    ),
    mode: Type.Optional(StringEnum(MODES, { default: 'transform', description: 'transform, train or inference.' })),
    engine: Type.Optional(
      StringEnum(ENGINES, { default: 'auto', description: 'auto (DuckDB below 10 GB), duckdb or spark.' }),
    ),
    entrypoint: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'Path of the logic relative to the product folder; default logic/transform.sql or logic/transform.py.',
        examples: ['logic/transform.sql'],
      }),
    ),
    schedule: Type.Optional(
      Strict(
        {
          type: Type.Optional(
            StringEnum(SCHEDULE_TYPES, {
              default: 'event',
              description:
                'event: runs when its inputs publish data.available; cron: at expression; manual: only on request.',
            }),
          ),
          expression: Type.Optional(
            Type.String({
              format: 'cron',
              description: 'Standard 5-field cron expression (cron schedules only).',
              examples: ['0 6 * * *'],
            }),
          ),
          timezone: Type.Optional(
            Type.String({
              format: 'timezone',
              default: 'UTC',
              description: 'IANA time zone of the cron expression.',
              examples: ['Africa/Nairobi'],
            }),
          ),
        },
        {
          title: 'Schedule',
          description: 'When the product runs.',
          allOf: [
            { if: { properties: { type: { const: 'cron' } }, required: ['type'] }, then: { required: ['expression'] } },
          ],
        },
      ),
    ),
    resources: Type.Optional(
      Strict(
        {
          cpu: Type.Optional(
            Quantity({ default: '500m', description: 'CPU as a Kubernetes quantity (500m = half a core).' }),
          ),
          memory: Type.Optional(
            Quantity({ default: '1Gi', description: 'Memory as a Kubernetes quantity (e.g. 1Gi, 512Mi).' }),
          ),
          timeout: Type.Optional(Duration({ default: '30m', description: 'Maximum wall time of a run.' })),
        },
        { title: 'Resources', description: 'Limits of a run.' },
      ),
    ),
    retry: Type.Optional(
      Strict(
        {
          max_attempts: Type.Optional(
            Type.Integer({ minimum: 1, maximum: 100, default: 3, description: 'Total attempts including the first.' }),
          ),
          backoff: Type.Optional(
            StringEnum(BACKOFFS, {
              default: 'exponential',
              description: 'fixed (constant) or exponential (doubling).',
            }),
          ),
          initial_delay: Type.Optional(Duration({ default: '30s', description: 'Delay before the first retry.' })),
        },
        { title: 'Retry', description: 'Retries of retryable failures.' },
      ),
    ),
    requirements: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { description: 'pip requirement specifiers (Python runtime only).' }),
    ),
  },
  { title: 'akili/v1 Compute (compute.yaml)', description: 'Runtime, schedule, resources and retries.' },
);

export type ComputeManifest = Static<typeof ComputeSchema>;
