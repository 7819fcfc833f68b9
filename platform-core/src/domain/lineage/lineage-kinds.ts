/**
 * Column lineage with OpenLineage's column-lineage facet semantics. An edge is **direct** when
 * input values flow into the output (IDENTITY: taken as is; TRANSFORMATION: computed from;
 * AGGREGATION: computed from many rows) and **indirect** when the input only decides which rows,
 * groups, order or branch (FILTER, JOIN, GROUP_BY, SORT, WINDOW, CONDITIONAL).
 */
export type DirectSubtype = 'IDENTITY' | 'TRANSFORMATION' | 'AGGREGATION';
export type IndirectSubtype = 'FILTER' | 'JOIN' | 'GROUP_BY' | 'SORT' | 'WINDOW' | 'CONDITIONAL';
export type LineageSubtype = DirectSubtype | IndirectSubtype;
export type LineageEdgeKind = 'direct' | 'indirect' | 'unknown';

const RANK: Record<DirectSubtype, number> = { IDENTITY: 0, TRANSFORMATION: 1, AGGREGATION: 2 };

/** The subtype of a value that went through two steps: the stronger of the two. */
export function composeDirect(inner: DirectSubtype, outer: DirectSubtype): DirectSubtype {
  return RANK[inner] >= RANK[outer] ? inner : outer;
}

export function isDirect(subtype: LineageSubtype): subtype is DirectSubtype {
  return subtype === 'IDENTITY' || subtype === 'TRANSFORMATION' || subtype === 'AGGREGATION';
}
