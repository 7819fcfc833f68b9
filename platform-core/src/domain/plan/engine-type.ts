import type { ColumnType } from '../column-type.js';

/** The DuckDB type of an output.yaml type (timestamps are UTC wall-clock TIMESTAMP). */
export function duckType(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
      return 'VARCHAR';
    case 'integer':
      return 'BIGINT';
    case 'float':
      return 'DOUBLE';
    case 'decimal':
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'uuid':
      return 'UUID';
    case 'json':
      return 'JSON';
    case 'array':
      return `${duckType(type.element)}[]`;
    case 'map':
      return `MAP(${duckType(type.key)}, ${duckType(type.value)})`;
  }
}
