/**
 * The one source of randomness for tests (fuzz inputs, fault timings, kill moments): a seed taken
 * from NEWSMIRROR_SEED, else a fresh one, printed once per test process so that a red run can be
 * played again with the same choices:
 *
 *   NEWSMIRROR_SEED=<seed> npm run test:faults
 *
 * Each caller asks for its own stream by name (`random('crash kill moment')`), so adding a random
 * choice in one test does not shift the choices of another.
 */
import { createHash } from 'node:crypto';

function seedFromEnv(): number {
  const given = process.env.NEWSMIRROR_SEED;
  if (given !== undefined && given !== '') {
    const n = Number(given);
    if (!Number.isSafeInteger(n) || n < 0 || n > 0xffffffff) {
      throw new Error(`NEWSMIRROR_SEED must be an integer from 0 to 4294967295, not ${JSON.stringify(given)}`);
    }
    return n;
  }
  return createHash('sha256').update(`${process.pid}:${process.hrtime.bigint()}`).digest().readUInt32LE(0);
}

export const SEED = seedFromEnv();
// A TAP comment: shown by the spec and TAP reporters alike, before any test of this process.
console.log(`# random choices seeded with NEWSMIRROR_SEED=${SEED} (set it to replay this run)`);

/** A generator of numbers in [0, 1) for the stream `name`, the same for the same seed and name (mulberry32). */
export function random(name: string): () => number {
  let a = createHash('sha256').update(`${SEED}:${name}`).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
