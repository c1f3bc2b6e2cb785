export interface WaitOptions {
  /** What is awaited, for the timeout message. */
  what?: string;
  timeoutMs?: number;
  intervalMs?: number;
  /** Checked between probes: a reason here (e.g. "the process exited") stops the wait at once. */
  failed?: () => string | undefined;
}

/**
 * Polls `probe` until `done(value)` and returns that value; throws after the timeout with the last value, or as
 * soon as `options.failed` gives a reason.
 */
export async function waitUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  options: WaitOptions = {},
): Promise<T> {
  const what = options.what ?? 'a condition';
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let last = await probe();
  while (!done(last)) {
    const failure = options.failed?.();
    if (failure) throw new Error(`${what}: ${failure}`);
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)?.slice(0, 1000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
    last = await probe();
  }
  return last;
}

/** True when `url` answers a GET with a 2xx within a second. */
export async function httpOk(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}
