import { durationSeconds } from '../duration.js';
import type { JsonObject, JsonValue } from '../json.js';
import { retryPolicyFromCompute, type ExecutionRetryPolicy } from '../execution/execution-retry.js';
import { requirementsFromCompute, type ResourceRequirements } from '../execution/resources.js';

/**
 * The subscription map (manifest-format §15, "Correlation engine"): built from the deployed
 * products' inputs.yaml. Every `data_product` input of a product whose compute.yaml schedule is
 * `event` (the default) subscribes that product to the upstream's `data.available`.
 */
export type Fallback = 'fail' | 'use_cached' | 'skip';
export type PartitionMapping = 'same_day' | 'latest';

export interface InputSpec {
  /** The upstream product's name (the input id). */
  readonly id: string;
  /** Required inputs gate the run; optional ones never block it. */
  readonly required: boolean;
  readonly timeoutMs: number;
  readonly fallback: Fallback;
  readonly mapping: PartitionMapping;
  /** Semver range the upstream version must satisfy (`latest` or absent: any). */
  readonly versionRange?: string;
}

/** One event-scheduled product as the correlation engine sees it (stored with each correlation). */
export interface ConsumerSpec {
  readonly productId: string;
  readonly productName: string;
  readonly productVersionId: string;
  readonly deploymentId?: string;
  readonly inputs: readonly InputSpec[];
  /** `day` when any input is `same_day` (windows are UTC days), else `latest` (numbered rounds). */
  readonly windowKind: 'day' | 'latest';
  readonly requirements: ResourceRequirements;
  readonly retry: ExecutionRetryPolicy;
}

export interface DeployedProduct {
  readonly productId: string;
  readonly productName: string;
  readonly productVersionId: string;
  readonly deploymentId?: string;
  /** The version's manifests keyed by kind (`Inputs`), file stem (`inputs`) or file name. */
  readonly manifests: JsonObject;
}

export interface SubscriptionMap {
  readonly consumers: readonly ConsumerSpec[];
  /** Upstream product name → the products that wait for its data.available. */
  readonly byUpstream: ReadonlyMap<string, readonly ConsumerSpec[]>;
  /** Deployed product id → name (events may name their product by id only). */
  readonly names: ReadonlyMap<string, string>;
}

/** Documented defaults (docs/adr/0006): timeout 4h, fallback fail; partition_mapping latest (ADR 0009). */
export const DEFAULT_INPUT_TIMEOUT_MS = 4 * 3600_000;

export function manifestOf(manifests: JsonObject, kind: string): JsonObject | undefined {
  const stem = kind === 'DataProduct' ? 'product' : kind.toLowerCase();
  for (const key of [kind, stem, `${stem}.yaml`]) {
    const value = manifests[key];
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as JsonObject;
  }
  return undefined;
}

/** The product's consumer spec, or undefined when it is not event-scheduled or reads no product. */
export function consumerSpec(product: DeployedProduct): ConsumerSpec | undefined {
  const compute = manifestOf(product.manifests, 'Compute');
  const schedule = (compute?.['schedule'] ?? {}) as JsonObject;
  if ((schedule['type'] ?? 'event') !== 'event') return undefined;
  const inputsManifest = manifestOf(product.manifests, 'Inputs');
  const defaults = (inputsManifest?.['defaults'] ?? {}) as JsonObject;
  const declared = Array.isArray(inputsManifest?.['inputs']) ? (inputsManifest['inputs'] as readonly JsonValue[]) : [];
  const inputs = declared.flatMap((raw): InputSpec[] => {
    const input = (typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {}) as JsonObject;
    if (input['type'] !== 'data_product' || typeof input['id'] !== 'string') return [];
    const timeout = str(input['timeout']) ?? str(defaults['timeout']);
    const seconds = timeout === undefined ? undefined : durationSeconds(timeout);
    const fallback = str(input['fallback']) ?? str(defaults['fallback']) ?? 'fail';
    const version = str(input['version']);
    return [
      {
        id: input['id'],
        required: input['optional'] !== true,
        timeoutMs: seconds === undefined ? DEFAULT_INPUT_TIMEOUT_MS : seconds * 1000,
        fallback: fallback === 'skip' || fallback === 'use_cached' ? fallback : 'fail',
        mapping: input['partition_mapping'] === 'same_day' ? 'same_day' : 'latest',
        ...(version && version !== 'latest' ? { versionRange: version } : {}),
      },
    ];
  });
  if (inputs.length === 0) return undefined;
  return {
    productId: product.productId,
    productName: product.productName,
    productVersionId: product.productVersionId,
    ...(product.deploymentId ? { deploymentId: product.deploymentId } : {}),
    inputs,
    windowKind: inputs.some((i) => i.mapping === 'same_day') ? 'day' : 'latest',
    requirements: requirementsFromCompute(compute),
    retry: retryPolicyFromCompute(compute),
  };
}

export function buildSubscriptionMap(products: readonly DeployedProduct[]): SubscriptionMap {
  const consumers = products.flatMap((p) => consumerSpec(p) ?? []);
  const byUpstream = new Map<string, ConsumerSpec[]>();
  for (const consumer of consumers) {
    for (const input of consumer.inputs) {
      const list = byUpstream.get(input.id) ?? [];
      if (!list.includes(consumer)) list.push(consumer);
      byUpstream.set(input.id, list);
    }
  }
  return { consumers, byUpstream, names: new Map(products.map((p) => [p.productId, p.productName])) };
}

function str(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
