/**
 * A sliding-window rate limit per key (a client address, an IP): at most `max` requests in any `windowMs`.
 * A refused request is not counted, so a client that waits `retryAfterSeconds` gets through.
 */

/** At most `max` requests per `windowMs` milliseconds. */
export interface RateWindow {
  max: number;
  windowMs: number;
}

/** Keys tracked before expired ones are dropped: bounds the memory an attacker can make the server hold. */
const PRUNE_AT = 10_000;

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly window: RateWindow,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a request of `key`: `undefined` if allowed, else the whole seconds until it would be. */
  take(key: string): number | undefined {
    const now = this.now();
    const since = now - this.window.windowMs;
    const recent = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (recent.length >= this.window.max) {
      this.hits.set(key, recent);
      return Math.max(1, Math.ceil((recent[0] + this.window.windowMs - now) / 1000));
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > PRUNE_AT) this.prune(since);
    return undefined;
  }

  private prune(since: number): void {
    for (const [key, times] of this.hits) if (times[times.length - 1] <= since) this.hits.delete(key);
  }
}
