import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runRun } from '../../platform-core/src/cli/commands/run.js';
import type { Platform } from '../../platform-core/src/composition.js';
import type { ConnectorStateRecord } from '../../platform-core/src/domain/ingestion/connector-state.js';
import { currentRows, type RunSummary } from './run-support.js';
import { capturedIo } from '../cli/captured-io.js';

/** `hekima run --json --product <product>` with an environment (e.g. ERP_PASSWORD). */
export async function runProduct(
  platform: Platform,
  dir: string,
  product: string,
  env: Record<string, string> = {},
  beforeCommit?: (product: string) => Promise<void>,
) {
  const { io, stdout: out, stderr: err } = capturedIo(dir, env);
  const code = await runRun(
    platform,
    io,
    undefined,
    { workspace: dir, json: true, product },
    beforeCommit ? { beforeCommit } : {},
  );
  const summary = JSON.parse(out()) as RunSummary;
  const report = summary.products.find((p) => p.product === product);
  if (!report) throw new Error(`${product} did not run: ${out()}${err()}`);
  return { code, report, err: err() };
}

/** The committed connector state of a product's input (undefined before its first commit). */
export async function stateOf(
  platform: Platform,
  product: string,
  inputId: string,
): Promise<ConnectorStateRecord | undefined> {
  const { tenantId, productId } = await currentRows(platform, product);
  return (await platform.catalog()).forTenant(tenantId).connectorStates.get(productId, inputId);
}

/** Replaces text in a workspace file (fails loudly when the text is not there). */
export async function edit(dir: string, file: string, from: string | RegExp, to: string): Promise<void> {
  const path = join(dir, file);
  const text = await readFile(path, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file}: "${String(from)}" not found`);
  await writeFile(path, next);
}

/** A POS receipt line as the tills write it (one JSON line). */
export function posLine(tx: string, line: number, quantity: number, soldAt: string): string {
  return (
    JSON.stringify({
      transaction_id: tx,
      line_number: line,
      outlet_id: 'NBO-001',
      sku: 'SKU-10001',
      customer_id: null,
      quantity,
      unit_price: '100.00',
      discount_amount: '0.00',
      payment_method: 'cash',
      sold_at: soldAt,
      business_date: soldAt.slice(0, 10),
    }) + '\n'
  );
}
