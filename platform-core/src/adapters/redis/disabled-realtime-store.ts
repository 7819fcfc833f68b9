import { invalidState } from '../../domain/errors.js';
import type { ProjectionRequest, ProjectionResult, ServedRows, ServingStore } from '../../ports/serving-store.js';

export const REALTIME_OFF =
  'Realtime serving is off: no Redis is configured (set HEKIMA_REDIS_URL or redis.url in the configuration file).';

/** Embedded mode without Redis: realtime endpoints are skipped, and say so. */
export class DisabledRealtimeStore implements ServingStore {
  readonly endpoint = 'realtime' as const;

  project(request: ProjectionRequest): Promise<ProjectionResult> {
    return Promise.resolve({
      endpoint: this.endpoint,
      status: 'off',
      written: 0,
      retired: 0,
      target: `hekima:${request.tenantId}:${request.product}:*`,
      message: REALTIME_OFF,
    });
  }

  read(): Promise<ServedRows> {
    return Promise.reject(invalidState('realtime_off', REALTIME_OFF));
  }
}
