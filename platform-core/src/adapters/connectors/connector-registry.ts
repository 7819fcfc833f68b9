import type { ConnectionType } from '../../domain/manifest/schemas/workspace-config.js';
import type { Connector, Connectors } from '../../ports/connector.js';
import { FileConnector } from './file/file-connector.js';
import { HttpConnector, type HttpConnectorOptions } from './http/http-connector.js';
import { PostgresConnector } from './postgres/postgres-connector.js';
import { UnsupportedConnector } from './unsupported-connector.js';

export interface ConnectorRegistryOptions {
  /** Root that `file` connection paths are relative to (and may not leave). */
  readonly workspaceRoot: string;
  /** What no `file` path may reach besides `<workspace>/.hekima`: the lake root, the key folder. */
  readonly protectedPaths?: readonly string[];
  readonly http?: HttpConnectorOptions;
}

/** The built-in connectors: file, postgres and http run; every other type says it cannot yet. */
export class ConnectorRegistry implements Connectors {
  private readonly built = new Map<ConnectionType, Connector>();

  constructor(private readonly options: ConnectorRegistryOptions) {}

  forType(type: ConnectionType): Connector {
    let connector = this.built.get(type);
    if (!connector) {
      connector = this.create(type);
      this.built.set(type, connector);
    }
    return connector;
  }

  private create(type: ConnectionType): Connector {
    switch (type) {
      case 'file':
        return new FileConnector(this.options.workspaceRoot, this.options.protectedPaths);
      case 'postgres':
        return new PostgresConnector();
      case 'http':
        return new HttpConnector(this.options.http);
      default:
        return new UnsupportedConnector(type);
    }
  }
}
