import { eventBusContract } from './contract/event-bus-contract.js';
import { openKafkaHarness } from './support/open-harness.js';

// Kafka runs only against a real broker: set HEKIMA_TEST_KAFKA_BROKERS=host:9092[,host:9093].
const brokers = (process.env['HEKIMA_TEST_KAFKA_BROKERS'] ?? '')
  .split(',')
  .map((b) => b.trim())
  .filter((b) => b !== '');
eventBusContract(
  () => openKafkaHarness(brokers),
  brokers.length === 0 ? 'HEKIMA_TEST_KAFKA_BROKERS is not set (no Kafka broker on this machine)' : undefined,
);
