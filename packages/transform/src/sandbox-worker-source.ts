/**
 * The mapping sandbox's worker thread, as source text run with `new Worker(…, { eval: true })`: plain CommonJS so
 * the same text works from the TypeScript sources (tests, `tsx`) and from `dist`, with no worker file to locate.
 *
 * It compiles the mapping once (`workerData`: `jsonataPath`, `source`, `timeoutMs`, `maxDepth`), says `{ ready }`,
 * and answers each `{ id, record }` of a batch with `{ id, ok: true, result }` or `{ id, ok: false, error }`. JSONata's own time and
 * depth guardrails run here as before; the parent's hard limit is for what they cannot see (native code such as a
 * backtracking regex or a large sort).
 */
export const SANDBOX_WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const jsonata = require(workerData.jsonataPath);
const expression = jsonata(workerData.source, { timeout: workerData.timeoutMs, stack: workerData.maxDepth });

function describeError(error) {
  if (error !== null && typeof error === 'object' && typeof error.code === 'string' && typeof error.message === 'string') {
    const out = { jsonata: true, code: error.code, message: error.message };
    for (const key of ['position', 'token', 'value', 'value2']) {
      if (error[key] === undefined) continue;
      try {
        out[key] = structuredClone(error[key]);
      } catch {}
    }
    return out;
  }
  return { jsonata: false, name: error instanceof Error ? error.name : typeof error };
}

// Functions cannot cross threads: each (a native function or a JSONata lambda, whose closure holds the whole
// environment) becomes the JSONata function flag, so the parent refuses the output as before, naming the path.
function transferable(value) {
  if (typeof value === 'function') return { _jsonata_function: true };
  if (value === null || typeof value !== 'object') return value;
  if (value._jsonata_lambda === true || value._jsonata_function === true) return { _jsonata_function: true };
  if (Array.isArray(value)) return value.map(transferable);
  return Object.fromEntries(Object.keys(value).map((key) => [key, transferable(value[key])]));
}

async function run(id, record) {
  let reply;
  try {
    reply = { id, ok: true, result: transferable(await expression.evaluate(record)) };
  } catch (error) {
    reply = { id, ok: false, error: describeError(error) };
  }
  try {
    parentPort.postMessage(reply);
  } catch (error) {
    // A result holding a function (a lambda the mapping returned) cannot cross threads.
    parentPort.postMessage({ id, ok: false, error: { jsonata: false, name: error.name || 'DataCloneError' } });
  }
}

// A batch starts together: JSONata runs on microtasks, so an evaluation that never awaits anything slower would
// keep a later message from being read until it ends; started in one tick, the batch interleaves.
parentPort.on('message', (batch) => {
  for (const { id, record } of batch) void run(id, record);
});
parentPort.postMessage({ ready: true });
`;
