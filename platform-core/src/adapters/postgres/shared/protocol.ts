import type { ErrorJSON } from '../../../domain/errors.js';
import type { SqlParam, SqlResult } from '../../../ports/sql-database.js';

/**
 * What the processes sharing an embedded catalog say to its host over the local socket. A guest
 * proves it can read the data folder's secret (and the host proves it too) before anything else:
 *
 *   guest → host  hello {nonce}
 *   host → guest  challenge {proof of the guest's nonce, nonce}
 *   guest → host  auth {proof of the host's nonce}
 *   host → guest  welcome | leaving (the host is closing: elect again)
 *
 * Then requests, answered by id, and notifications pushed as they come. A lease is the single
 * PGlite connection, lent for one transaction; statements name the lease they belong to.
 */
export type GuestMessage =
  | { readonly t: 'hello'; readonly nonce: Uint8Array }
  | { readonly t: 'auth'; readonly proof: Uint8Array }
  | { readonly t: 'req'; readonly id: number; readonly op: Request };

export type Request =
  | { readonly kind: 'acquire' }
  | { readonly kind: 'query'; readonly lease: number; readonly text: string; readonly params: readonly SqlParam[] }
  | { readonly kind: 'exec'; readonly lease: number; readonly script: string }
  | { readonly kind: 'release'; readonly lease: number; readonly broken: boolean }
  | { readonly kind: 'listen'; readonly channel: string }
  | { readonly kind: 'unlisten'; readonly channel: string };

export type HostMessage =
  | { readonly t: 'challenge'; readonly proof: Uint8Array; readonly nonce: Uint8Array }
  | { readonly t: 'welcome' }
  | { readonly t: 'leaving' }
  | { readonly t: 'res'; readonly id: number; readonly ok: true; readonly value: number | SqlResult | null }
  | { readonly t: 'res'; readonly id: number; readonly ok: false; readonly error: ErrorJSON }
  | { readonly t: 'notify'; readonly channel: string; readonly payload: string };

/** An acquire the host could not grant because it is leaving (or left): elect again and retry. */
export const HOST_LEAVING = 'catalog_host_leaving';
/** A statement of a transaction whose host ended: the transaction is gone (rolled back). */
export const HOST_LOST = 'catalog_host_lost';
