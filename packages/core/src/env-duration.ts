import { z } from 'zod';
import { unsetIfEmpty } from './env.js';

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration variable in milliseconds, written as a whole number with a unit: `90s`, `30m`, `24h`, `7d`
 * (a bare number counts as seconds).
 */
export function envDurationMs(options: { default: string; min?: string }): z.ZodType<number, unknown> {
  const parse = (text: string): number | undefined => {
    const match = /^(\d+)\s*([smhd]?)$/i.exec(text);
    if (!match) return undefined;
    return Number(match[1]) * (UNIT_MS[(match[2] || 's').toLowerCase()] as number);
  };
  const minMs = options.min === undefined ? 1 : (parse(options.min) ?? 1);
  return z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .default(options.default)
      .transform((text, ctx) => {
        const ms = parse(text);
        if (ms === undefined) {
          ctx.addIssue({ code: 'custom', message: 'must be a duration such as 90s, 30m, 24h or 7d' });
          return z.NEVER;
        }
        if (ms < minMs) {
          ctx.addIssue({ code: 'custom', message: `must be at least ${options.min ?? '1s'}` });
          return z.NEVER;
        }
        return ms;
      }),
  );
}
