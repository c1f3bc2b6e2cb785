const COLORS: Record<string, number> = { redis: 31, sim: 35, api: 36, worker: 33, start: 32 };
const useColor = process.stdout.isTTY && !process.env.NO_COLOR;

/** Prints one line tagged with the process it came from (`[api]    …`), coloured on a terminal. */
export function say(source: string, line: string): void {
  const tag = `[${source}]`.padEnd(9);
  process.stdout.write(`${useColor ? `\x1b[${COLORS[source] ?? 0}m${tag}\x1b[0m` : tag}${line}\n`);
}
