// Progress while the sync queue drains: a bar redrawn in place on a terminal, a line every few seconds elsewhere
// (CI logs, pipes), so logs stay readable.

const WIDTH = 30;

/**
 * @param {NodeJS.WriteStream} stream
 * @param {{ color: boolean }} options
 */
export function createProgress(stream, { color }) {
  const tty = Boolean(stream.isTTY);
  const paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  let lastLine = '';
  let lastPrinted = { done: -1, total: -1 };
  let lastPrintedAt = 0;
  let drawn = false;

  function render({ done, total, detail }) {
    const ratio = total > 0 ? Math.min(done / total, 1) : 1;
    const filled = Math.round(ratio * WIDTH);
    const bar = tty
      ? `${paint(32, '█'.repeat(filled))}${paint(90, '░'.repeat(WIDTH - filled))}`
      : `${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}`;
    const count = `${String(done).padStart(String(total).length)}/${total}`;
    return `  [${bar}] ${count} settled${detail ? ` · ${detail}` : ''}`;
  }

  return {
    /** @param {{ done: number, total: number, detail?: string }} state */
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
    /** Leaves the final state on its own line. */
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
    /** Clears a bar in progress so that other output can be written. */
    interrupt() {
      if (tty && drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}

/** Cuts a line with ANSI colours to `width` visible characters. */
function clip(line, width) {
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
