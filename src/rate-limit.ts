import { AppError } from './errors.js';

/** DRF's throttled response: 429 with the wait in the message; the error handler adds Retry-After. */
export class ThrottledError extends AppError {
  readonly retryAfter: number;
  constructor(retryAfter: number) {
    super(429, 'throttled', `Request was throttled. Expected available in ${retryAfter} second${retryAfter === 1 ? '' : 's'}.`);
    this.retryAfter = retryAfter;
  }
}

/**
 * A fixed one-minute window per key, in memory (one process). Good enough to stop a runaway client;
 * several server processes each count on their own, which the docs say.
 */
export class FixedWindowLimiter {
  private readonly counts = new Map<string, number>();
  private window = 0;
  constructor(private readonly perMinute: number) {}

  /** Counts one hit for `key`; throws ThrottledError when over the limit. A limit of 0 disables the limiter. */
  hit(key: string, now = Date.now()): void {
    if (this.perMinute === 0) return;
    const window = Math.floor(now / 60_000);
    if (window !== this.window) {
      // A new minute: forget the old one wholesale, so memory never grows beyond one minute of clients.
      this.window = window;
      this.counts.clear();
    }
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    if (n > this.perMinute) throw new ThrottledError(Math.max(1, Math.ceil(((window + 1) * 60_000 - now) / 1000)));
  }
}
