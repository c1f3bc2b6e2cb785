/** The shape of what JSONata throws: a plain object (or Error) with a code and a character position. */
export interface JsonataErrorLike {
  code: string;
  message: string;
  position?: number;
  token?: unknown;
  value?: unknown;
  value2?: unknown;
}

/** Whether `error` is a JSONata error (it has a JSONata code such as `S0202`, `T2001`, `D1012`). */
export function isJsonataError(error: unknown): error is JsonataErrorLike {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as Record<string, unknown>;
  return typeof code === 'string' && /^[SDTU]\d{4}$/.test(code) && typeof message === 'string';
}

/**
 * JSONata's message with the data values it quotes withheld: runtime messages embed the offending value
 * (`Unable to cast value to a number: "Alice"`), which here is HR data and must not reach logs.
 */
export function withheldMessage(error: JsonataErrorLike): string {
  let message = error.message;
  for (const value of [error.value, error.value2]) {
    if (value === undefined) continue;
    let quoted: string | undefined;
    try {
      quoted = JSON.stringify(value);
    } catch {
      quoted = undefined;
    }
    if (quoted) message = message.split(quoted).join('(value withheld)');
  }
  return message;
}
