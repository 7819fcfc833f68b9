import { inputList, isObject, str, type ProductUnit } from '../../product-unit.js';
import type { ConnectionView, WorkspaceIndex } from '../../workspace-index.js';

/** The connections of hekima.yaml, or why they cannot be read. */
export type WorkspaceConnections =
  | { readonly kind: 'no-config' }
  /** hekima.yaml does not parse or `connections` is not a list: MAN/SCH findings say why; CON rules stay quiet. */
  | { readonly kind: 'unreadable' }
  | { readonly kind: 'ok'; readonly connections: ReadonlyMap<string, ConnectionView> };

export function workspaceConnections(index: WorkspaceIndex): WorkspaceConnections {
  const file = index.config.file;
  if (!file) return { kind: 'no-config' };
  if (file.doc.problems.some((p) => p.kind === 'syntax')) return { kind: 'unreadable' };
  const value = file.doc.value;
  if (!isObject(value)) return { kind: 'unreadable' };
  const list = value['connections'];
  if (list !== undefined && list !== null && !Array.isArray(list)) return { kind: 'unreadable' };
  return { kind: 'ok', connections: index.config.connections };
}

export interface ConnectorInputView {
  readonly index: number;
  readonly id: string;
  readonly ref: string | undefined;
  readonly strategy: string | undefined;
  readonly config: Readonly<Record<string, unknown>>;
  readonly hasConfig: boolean;
}

/** The connector inputs of a product (inputs without a string id are skipped). */
export function connectorInputs(unit: ProductUnit): ConnectorInputView[] {
  return inputList(unit)
    .filter((i) => i.type === 'connector')
    .map((i) => {
      const config = i.raw['ingestion_config'];
      return {
        index: i.index,
        id: i.id,
        ref: str(i.raw['connector_ref']),
        strategy: str(i.raw['ingestion_strategy']),
        config: isObject(config) ? config : {},
        hasConfig: isObject(config),
      };
    });
}

/** The connection a connector input names, when hekima.yaml declares it. */
export function connectionOf(index: WorkspaceIndex, input: ConnectorInputView): ConnectionView | undefined {
  const state = workspaceConnections(index);
  if (state.kind !== 'ok' || input.ref === undefined) return undefined;
  return state.connections.get(input.ref);
}

export function orList(items: readonly string[], word = 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1]}`;
}
