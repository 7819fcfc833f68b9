import { canRun, CONNECTORS, supportsStrategy } from '../connectors.js';
import { invalidArgument, permanent, type HekimaError } from '../errors.js';
import type { ConnectionType } from '../manifest/schemas/workspace-config.js';

/** Permanent `connector_not_supported`: a valid manifest this runtime cannot run yet. */
export function connectorNotSupported(type: ConnectionType, strategy?: string): HekimaError {
  const what = strategy === undefined ? type : `${type}/${strategy}`;
  return permanent('connector_not_supported', `The runtime cannot run ${what} yet.`, {
    details: { type, ...(strategy === undefined ? {} : { strategy }) },
  });
}

/**
 * Refuses what domain/connectors.ts says cannot run: a strategy the type does not support
 * (InvalidArgument `strategy_not_supported`, the validator reports it too) or a type/strategy
 * this runtime cannot run yet (Permanent `connector_not_supported`).
 */
export function assertRunnable(type: ConnectionType, strategy: string): void {
  if (!supportsStrategy(type, strategy))
    throw invalidArgument(
      'strategy_not_supported',
      `A ${type} connection supports ${CONNECTORS[type].strategies.join(', ')}, not ${strategy}.`,
      { details: { type, strategy } },
    );
  if (!canRun(type, strategy)) throw connectorNotSupported(type, strategy);
}
