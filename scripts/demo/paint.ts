const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (code: number) => (text: string | number) =>
  color ? `\x1b[${code}m${text}\x1b[0m` : String(text);

/** Whether the demo writes ANSI colours (a terminal, and NO_COLOR unset). */
export const useColor = color;
export const bold = paint(1);
export const dim = paint(2);
export const green = paint(32);
export const red = paint(31);
export const yellow = paint(33);
export const cyan = paint(36);

/** Writes one line to stdout. */
export const say = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
