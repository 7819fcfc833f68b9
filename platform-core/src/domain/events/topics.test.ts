import { describe, expect, it } from 'vitest';
import { auditGroup, dlqMonitorGroup, governanceGroup, sensorGroup } from './consumer-groups.js';
import { EVENT_TYPES } from './event-types.js';
import {
  dataAvailableTopic,
  dlqTopic,
  executionEventsTopic,
  governanceTopic,
  routeEvent,
  topicKindOf,
} from './topics.js';

describe('topics and groups', () => {
  it('names topics and consumer groups as the seed does, tenant first', () => {
    expect(dataAvailableTopic('acme', 'raw-orders')).toBe('acme.raw-orders.data.available');
    expect(executionEventsTopic('acme', 'raw-orders')).toBe('acme.raw-orders.execution.events');
    expect(governanceTopic('acme')).toBe('acme.governance.events');
    expect(dlqTopic('acme', 'parse_failure')).toBe('acme.dlq.parse_failure');
    expect(sensorGroup('acme', 'daily-summary')).toBe('acme.daily-summary.sensor');
    expect(governanceGroup('acme')).toBe('acme.governance.consumer');
    expect(dlqMonitorGroup('acme')).toBe('acme.dlq.monitor');
    expect(auditGroup('acme')).toBe('acme.audit.consumer');
    expect(() => dataAvailableTopic('Acme!', 'x')).toThrow(expect.objectContaining({ code: 'invalid_tenant_slug' }));
    expect(() => dataAvailableTopic('acme', 'Bad Name')).toThrow(
      expect.objectContaining({ code: 'invalid_topic_product' }),
    );
  });

  it('routes every event type, keyed by product', () => {
    const kinds = Object.fromEntries(EVENT_TYPES.map((t) => [t, topicKindOf(t)]));
    expect(kinds['DataAvailable']).toBe('data.available');
    expect(kinds['ExecutionFailed']).toBe('execution.events');
    expect(kinds['ProductDeployed']).toBe('governance.events');
    expect(kinds['SlaBreached']).toBe('governance.events');
    expect(kinds['EventDeadLettered']).toBe('dlq');
    expect(routeEvent('acme', 'ExecutionStarted', { product: 'orders' })).toEqual({
      topic: 'acme.orders.execution.events',
      partitionKey: 'orders',
    });
    expect(routeEvent('acme', 'QualityCheckFailed', { product: 'orders' })).toEqual({
      topic: 'acme.governance.events',
      partitionKey: 'orders',
    });
    expect(routeEvent('acme', 'ConceptCreated', {})).toEqual({
      topic: 'acme.governance.events',
      partitionKey: 'acme.governance.events',
    });
    expect(routeEvent('acme', 'EventDeadLettered', { stage: 'correlation' }).topic).toBe('acme.dlq.correlation');
    expect(() => routeEvent('acme', 'DataAvailable', {})).toThrow(
      expect.objectContaining({ code: 'event_product_required' }),
    );
  });
});
