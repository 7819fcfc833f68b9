// Worker thread of parallel-parse.ts: parses the texts it is sent and sends back plain data.
import { parentPort } from 'node:worker_threads';
import { YamlDocumentParser, type YamlSourceDocument } from './yaml-document-parser.js';

const parser = new YamlDocumentParser(0);
parentPort?.on('message', (texts: string[]) => {
  parentPort?.postMessage(texts.map((t) => (parser.parse(t) as YamlSourceDocument).data()));
});
