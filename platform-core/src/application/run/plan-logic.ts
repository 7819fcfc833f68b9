import { parseColumnType } from '../../domain/column-type.js';
import { invalidArgument } from '../../domain/errors.js';
import type { HashedPlan } from '../../domain/plan/product-plan.js';
import type { ProductLogic } from '../transform/product-logic.js';

/**
 * What running a product's logic needs, read from its deployed plan (a worker has the plan, not
 * the workspace index): the SQL text the plan was generated from, the Python module's path (the
 * worker's workspace root resolves it), the output columns and the compute.yaml limits.
 */
export function logicFromPlan(plan: HashedPlan): ProductLogic {
  const t = plan.transform;
  const folder = plan.product.folder;
  const entrypoint =
    t.runtime === 'python' ? t.module : t.file.startsWith(`${folder}/`) ? t.file.slice(folder.length + 1) : t.file;
  return {
    runtime: t.runtime,
    entrypoint,
    file: t.file,
    text: t.runtime === 'sql' ? t.sql : undefined,
    output: plan.output.columns.map((c) => {
      const parsed = parseColumnType(c.type);
      if (!parsed.ok)
        throw invalidArgument(
          'invalid_plan',
          `The deployed plan of ${plan.product.name} ${plan.product.version} has column ${c.name} of type "${c.type}" (${parsed.error}): redeploy it with \`hekima run\`.`,
        );
      return { name: c.name, type: parsed.type, primaryKey: c.primary_key, nullable: c.nullable };
    }),
    limits: {
      threads: plan.resources.threads,
      memoryBytes: plan.resources.memory_bytes,
      timeoutMs: plan.resources.timeout_ms,
    },
  };
}
