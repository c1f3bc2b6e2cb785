// Progress while the sync queue drains: a bar redrawn in place on a terminal, a line every few seconds elsewhere
// (CI logs, pipes), so logs stay readable.

const WIDTH = 30;

export interface ProgressState {
  done: number;
  total: number;
  detail?: string;
}

export interface Progress {
  update(state: ProgressState): void;
  /** Leaves the final state on its own line. */
  finish(state: ProgressState): void;
  /** Clears a bar in progress so that other output can be written. */
  interrupt(): void;
}

/** A progress display on `stream`: a bar redrawn in place on a terminal, a line every 2 s elsewhere. */
export function createProgress(stream: NodeJS.WriteStream, { color }: { color: boolean }): Progress {
  const tty = Boolean(stream.isTTY);
  const paint = (code: number, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  let lastLine = '';
  let lastPrinted: ProgressState = { done: -1, total: -1 };
  let lastPrintedAt = 0;
  let drawn = false;

  function render({ done, total, detail }: ProgressState): string {
    const ratio = total > 0 ? Math.min(done / total, 1) : 1;
    const filled = Math.round(ratio * WIDTH);
    const bar = tty
      ? `${paint(32, '█'.repeat(filled))}${paint(90, '░'.repeat(WIDTH - filled))}`
      : `${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}`;
    const count = `${String(done).padStart(String(total).length)}/${total}`;
    return `  [${bar}] ${count} settled${detail ? ` · ${detail}` : ''}`;
  }

  return {
    update(state) {
      const line = render(state);
      if (tty) {
        const columns = stream.columns || 120;
        // Clip to the terminal so the line never wraps (a wrapped line cannot be redrawn in place).
        stream.write(`\r\x1b[2K${clip(line, columns - 1)}`);
        drawn = true;
        return;
      }
      const now = Date.now();
      if (line !== lastLine && now - lastPrintedAt >= 2000) {
        stream.write(`${line}\n`);
        lastLine = line;
        lastPrinted = state;
        lastPrintedAt = now;
      }
    },
    finish(state) {
      const line = render(state);
      if (tty) {
        stream.write(`\r\x1b[2K${clip(line, (stream.columns || 120) - 1)}\n`);
      } else if (lastPrinted.done !== state.done || lastPrinted.total !== state.total) {
        stream.write(`${line}\n`);
      }
      drawn = false;
      lastLine = '';
      lastPrinted = { done: -1, total: -1 };
      lastPrintedAt = 0;
    },
    interrupt() {
      if (tty && drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}

/** Cuts a line with ANSI colours to `width` visible characters. */
function clip(line: string, width: number): string {
  let visible = 0;
  let out = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\x1b') {
      const end = line.indexOf('m', i);
      out += line.slice(i, end + 1);
      i = end;
      continue;
    }
    if (visible >= width) continue;
    out += line[i];
    visible++;
  }
  return line.includes('\x1b') ? `${out}\x1b[0m` : out;
}
