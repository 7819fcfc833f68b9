import { connectorNotSupported } from '../../domain/ingestion/not-supported.js';
import type { ConnectionType } from '../../domain/manifest/schemas/workspace-config.js';
import type { Connector, Extract, ExtractRequest } from '../../ports/connector.js';

/** A connection type this runtime cannot run yet (cdc, s3, sftp, mysql, oracle, kafka, redpanda). */
export class UnsupportedConnector implements Connector {
  constructor(readonly type: ConnectionType) {}

  extract(request: ExtractRequest): Promise<Extract> {
    return Promise.reject(connectorNotSupported(this.type, request.input.strategy));
  }

  check(): Promise<void> {
    return Promise.reject(connectorNotSupported(this.type));
  }
}
