export interface WaitOptions {
  /** What is awaited, for the timeout message. */
  what?: string;
  timeoutMs?: number;
  intervalMs?: number;
  /** Checked between probes: a reason here (e.g. "the process exited") stops the wait at once. */
  failed?: () => string | undefined;
  /** A probe that throws counts as "not yet" (its last error goes into the timeout message) instead of failing. */
  retryErrors?: boolean;
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
  let lastError: unknown;
  const attempt = async (): Promise<{ value: T } | undefined> => {
    if (!options.retryErrors) return { value: await probe() };
    try {
      return { value: await probe() };
    } catch (error) {
      lastError = error;
      return undefined;
    }
  };
  let last = await attempt();
  while (!last || !done(last.value)) {
    const failure = options.failed?.();
    if (failure) throw new Error(`${what}: ${failure}`);
    if (Date.now() > deadline) {
      const seen = last ? JSON.stringify(last.value)?.slice(0, 1000) : `error ${String(lastError)}`;
      throw new Error(`timed out waiting for ${what}; last: ${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
    last = await attempt();
  }
  return last.value;
}

/** True when `url` answers a GET with a 2xx within a second. */
export async function httpOk(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}
