/**
 * "Has this reader already counted for this page in this window?", answered without keeping
 * who the reader is. Each window has its own random key; an address and a page are kept only
 * as the HMAC of both under that key, in memory. When the window ends the key and every hash
 * are dropped together, so a hash cannot be tied to an address afterwards, not even by us, and
 * nothing of it is ever written to disk.
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface Throttle {
  /** True the first time (address, page) is seen in this window: that hit counts. */
  admit(address: string, page: string): boolean;
  /** Entries held now. */
  size(): number;
  /** Drops the key and every entry (stops the rotation timer). */
  stop(): void;
}

/**
 * `windowMs` is how long one address counts once per page; `maxEntries` caps memory. A full
 * window admits nothing more: a flood of addresses cannot inflate the counts, it can only stop
 * counting until the window rotates.
 */
export function createThrottle(windowMs: number, maxEntries: number): Throttle {
  let key = randomBytes(32);
  let seen = new Set<string>();
  const timer = setInterval(() => {
    key = randomBytes(32);
    seen = new Set();
  }, windowMs);
  timer.unref();
  return {
    admit(address, page) {
      // 16 bytes of the MAC: collisions need ~2^64 entries.
      const h = createHmac('sha256', key)
        .update(address)
        .update('\u0000')
        .update(page)
        .digest()
        .toString('latin1', 0, 16);
      if (seen.has(h)) return false;
      if (seen.size >= maxEntries) return false;
      seen.add(h);
      return true;
    },
    size: () => seen.size,
    stop() {
      clearInterval(timer);
      key = randomBytes(32);
      seen = new Set();
    },
  };
}
