/**
 * The plan of one product version: everything a run needs, derived deterministically from the
 * manifests (the "generated pipeline code"). Paths are relative to the workspace root; nothing
 * depends on the machine, the clock or the folder the workspace sits in.
 */
export const PLAN_API_VERSION = 'hekima.dev/plan/v1';

/** The relation the output snapshot is bound as while quality checks run. */
export const OUTPUT_RELATION = 'output';
/** The relation of a referenced product's current snapshot (referential checks). */
export const referenceRelation = (product: string): string => `reference:${product}`;

export interface PlanColumn {
  readonly name: string;
  readonly type: string;
  readonly engine_type: string;
  readonly primary_key: boolean;
  readonly nullable: boolean;
  /** The column's own classification from output.yaml (null: the product's level). Masking reads it. */
  readonly classification?: string | null;
}

export type InputBinding =
  | {
      readonly id: string;
      readonly type: 'data_product';
      readonly tables: readonly string[];
      readonly upstream: {
        readonly product: string;
        readonly version: string | null;
        readonly folder: string | null;
        readonly range: string;
      };
      readonly timeout: string;
      readonly fallback: string;
      readonly optional: boolean;
      readonly partition_mapping: string | null;
    }
  | {
      readonly id: string;
      readonly type: 'connector';
      readonly tables: readonly string[];
      readonly connector: {
        readonly ref: string;
        readonly type: string | null;
        readonly strategy: string | null;
        readonly config: Readonly<Record<string, unknown>>;
      };
      readonly fitness: readonly unknown[];
      readonly timeout: string;
      readonly fallback: string;
      readonly optional: boolean;
    };

export type TransformPlan =
  | {
      readonly runtime: 'sql';
      readonly file: string;
      readonly sql: string;
      /** Statements binding the inputs (`{snapshot:<id>}` = the chosen snapshot's files). */
      readonly bind: readonly string[];
      /** Statements locking the session before the logic runs. */
      readonly sandbox: readonly string[];
      /** The statement the engine runs: the logic materialised as `relation`. */
      readonly wrapped: string;
      readonly relation: string;
    }
  | {
      readonly runtime: 'python';
      readonly file: string;
      readonly module: string;
      readonly call: string;
      readonly exchange: string;
      /** Statements binding the inputs before they are exported for the child process. */
      readonly bind: readonly string[];
    };

export interface QualityCheckPlan {
  readonly name: string;
  readonly type: string;
  readonly severity: string;
  readonly sql?: string;
  readonly samples_sql?: string;
  readonly expect?: string;
  readonly entrypoint?: string;
  readonly call?: string;
  readonly config?: Readonly<Record<string, unknown>>;
}

export interface ServingWriterPlan {
  readonly type: string;
  readonly store: 'postgres' | 'redis' | 'lake';
  readonly [key: string]: unknown;
}

export interface ProductPlan {
  readonly api_version: typeof PLAN_API_VERSION;
  readonly tenant: string | null;
  readonly product: {
    readonly name: string;
    readonly domain: string | null;
    readonly version: string;
    readonly classification: string | null;
    readonly folder: string;
  };
  readonly inputs: readonly InputBinding[];
  readonly transform: TransformPlan;
  readonly output: {
    readonly relation: string;
    readonly columns: readonly PlanColumn[];
    readonly format: string;
    readonly partitioning: readonly unknown[];
  };
  readonly quality: readonly QualityCheckPlan[];
  readonly serving: readonly ServingWriterPlan[];
  readonly events: {
    readonly subscribe: readonly { readonly topic: string; readonly input: string }[];
    readonly publish: string;
  };
  readonly schedule: { readonly type: string; readonly expression: string | null; readonly timezone: string };
  readonly resources: {
    readonly cpu_millis: number;
    readonly memory_bytes: number;
    readonly threads: number;
    readonly timeout_ms: number;
  };
  readonly retry: { readonly max_attempts: number; readonly backoff: string; readonly initial_delay: string };
}

/** A plan with its hash: SHA-256 (hex) of the canonical JSON of the plan without `hash`. */
export type HashedPlan = ProductPlan & { readonly hash: string };
