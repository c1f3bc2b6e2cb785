/** How fast the operator console answers over a store of synced people (the person page and the people search). */
export interface ConsoleLatency {
  people: number;
  samples: number;
  personP50Ms: number;
  personP95Ms: number;
  searchP50Ms: number;
  searchP95Ms: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Times one HTML page request; throws unless it answers 200 with HTML (a page that is not there measures nothing). */
async function timePage(url: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { accept: 'text/html' } });
  const body = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200 || !(res.headers.get('content-type') ?? '').includes('text/html')) {
    throw new Error(`console page ${new URL(url).pathname} answered ${res.status}: ${body.slice(0, 200)}`);
  }
  return ms;
}

/**
 * `samples` person pages and `samples` searches, one request at a time (an operator clicking), spread over the
 * people: searches by externalId, by last name and by e-mail prefix in turn. The API's console reads the same
 * Redis the worker just filled.
 */
export async function measureConsole(
  apiUrl: string,
  externalIds: readonly string[],
  samples = 200,
): Promise<ConsoleLatency> {
  const person: number[] = [];
  const search: number[] = [];
  const step = Math.max(1, Math.floor(externalIds.length / samples));
  for (let i = 0; i < samples; i++) {
    const id = externalIds[(i * step) % externalIds.length] as string;
    person.push(await timePage(`${apiUrl}/admin/people/${encodeURIComponent(id)}`));
    const n = id.replace(/\D/g, '') || '0';
    const q = [id, `Bench${n.slice(0, 3)}`, `${id.toLowerCase().slice(0, 6)}`][i % 3] as string;
    search.push(await timePage(`${apiUrl}/admin/people?q=${encodeURIComponent(q)}`));
  }
  person.sort((a, b) => a - b);
  search.sort((a, b) => a - b);
  return {
    people: externalIds.length,
    samples,
    personP50Ms: percentile(person, 50),
    personP95Ms: percentile(person, 95),
    searchP50Ms: percentile(search, 50),
    searchP95Ms: percentile(search, 95),
  };
}
