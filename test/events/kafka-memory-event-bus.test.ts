import { eventBusContract } from './contract/event-bus-contract.js';
import { openKafkaHarness } from './support/open-harness.js';
import { MemoryKafka } from './support/memory-kafka.js';

// The Kafka adapter's own logic (relay, headers, de-duplication, commits after processing, DLQ)
// on an in-memory broker double — not kafkajs's protocol: kafka-event-bus.test.ts runs the same
// contract against a real broker when HEKIMA_TEST_KAFKA_BROKERS is set.
eventBusContract(() => openKafkaHarness([], new MemoryKafka()));
