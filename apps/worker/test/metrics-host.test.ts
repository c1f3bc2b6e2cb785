import { ConfigError } from '@dirsync/core';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../src/env.js';

const base = { GENESYS_CLIENT_ID: 'id', GENESYS_CLIENT_SECRET: 'secret' };

describe('METRICS_HOST', () => {
  it('defaults to every interface (the contract) and takes an address or host name', () => {
    expect(loadWorkerConfig(base).METRICS_HOST).toBe('0.0.0.0');
    expect(loadWorkerConfig({ ...base, METRICS_HOST: '10.0.0.7' }).METRICS_HOST).toBe('10.0.0.7');
    expect(loadWorkerConfig({ ...base, METRICS_HOST: '::1' }).METRICS_HOST).toBe('::1');
    expect(loadWorkerConfig({ ...base, METRICS_HOST: 'metrics.internal' }).METRICS_HOST).toBe(
      'metrics.internal',
    );
  });

  it('refuses something that is no interface, naming the variable', () => {
    expect(() => loadWorkerConfig({ ...base, METRICS_HOST: 'http://0.0.0.0:9464' })).toThrow(ConfigError);
    expect(() => loadWorkerConfig({ ...base, METRICS_HOST: 'http://0.0.0.0:9464' })).toThrow(/METRICS_HOST/);
  });
});
