import { connect } from 'node:net';

export interface RawExchange {
  /** Everything the server sent. */
  text: string;
  /** Whether the server closed the connection (rather than the test giving up). */
  closedByServer: boolean;
}

/**
 * Writes `head` (and then `chunk` again and again, every `chunkEveryMs`, until the server closes or `maxChunks`
 * are sent) on a raw socket, and resolves with what the server answered when it closes the connection
 * or after `giveUpMs`.
 */
export function rawExchange(
  port: number,
  head: string,
  options: {
    host?: string;
    chunk?: string;
    chunkEveryMs?: number;
    maxChunks?: number;
    giveUpMs?: number;
  } = {},
): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: options.host ?? '127.0.0.1' });
    let text = '';
    let sent = 0;
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ text, closedByServer });
    };
    const giveUp = setTimeout(() => finish(false), options.giveUpMs ?? 15_000);
    const sendNext = () => {
      if (done || options.chunk === undefined || sent >= (options.maxChunks ?? Number.POSITIVE_INFINITY))
        return;
      sent++;
      // A slow drip, as a client that never finishes its upload sends it.
      socket.write(options.chunk, () => setTimeout(sendNext, options.chunkEveryMs ?? 50));
    };
    socket.on('data', (data) => {
      text += data.toString('latin1');
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (error) => {
      if (text) finish(true);
      else if (!done) {
        done = true;
        clearTimeout(giveUp);
        reject(error);
      }
    });
    socket.on('connect', () => {
      socket.write(head, () => sendNext());
    });
  });
}
