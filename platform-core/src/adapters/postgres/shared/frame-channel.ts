import type { Socket } from 'node:net';
import { deserialize, serialize } from 'node:v8';

/**
 * Messages over a local socket, one frame each: a 4-byte big-endian length, then the message in
 * V8's structured-clone form (so Dates, Uint8Arrays and nested rows arrive as they left, which JSON
 * would not do). Frames larger than `MAX_FRAME` close the channel: only a broken or hostile peer
 * sends them.
 */
export const MAX_FRAME = 512 * 1024 * 1024;

export class FrameChannel<In, Out> {
  readonly #socket: Socket;
  #buffer: Buffer = Buffer.alloc(0);
  #onMessage: (message: In) => void = () => undefined;

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
  }

  get socket(): Socket {
    return this.#socket;
  }

  /** Sets the receiver of every whole frame (replaces the previous one). */
  onMessage(handler: (message: In) => void): void {
    this.#onMessage = handler;
  }

  /** False once the socket no longer takes writes (the peer left or it was closed). */
  send(message: Out): boolean {
    if (this.#socket.destroyed || !this.#socket.writable) return false;
    const body = serialize(message);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(body.length, 0);
    this.#socket.write(Buffer.concat([head, body]));
    return true;
  }

  close(): void {
    this.#socket.destroy();
  }

  #receive(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    while (this.#buffer.length >= 4) {
      const size = this.#buffer.readUInt32BE(0);
      if (size > MAX_FRAME) {
        this.close();
        return;
      }
      if (this.#buffer.length < 4 + size) return;
      const body = this.#buffer.subarray(4, 4 + size);
      this.#buffer = this.#buffer.subarray(4 + size);
      let message: In;
      try {
        message = deserialize(body) as In;
      } catch {
        this.close();
        return;
      }
      this.#onMessage(message);
    }
  }
}
