// A small in-process cache of rendered HTML for anonymous visitors. Keys carry a data version where one exists
// (grid pages), so edits show at once; pages without a cheap version use a short time to live instead.

interface Entry {
  html: Buffer;
  expires: number;
}

/** A bounded map of rendered pages with per-entry expiry. */
export class PageCache {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly maxEntries = 300) {}

  /** The cached HTML for a key, if still fresh. */
  get(key: string): Buffer | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires < Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.html;
  }

  /** Stores HTML for `ttlMs`; the oldest entry goes when full. */
  set(key: string, html: string | Buffer, ttlMs: number): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    // Kept encoded: re-encoding a 300 KB grid page on every hit costs more than the rest of the request.
    this.entries.set(key, { html: typeof html === 'string' ? Buffer.from(html) : html, expires: Date.now() + ttlMs });
  }

  /** Drops everything (tests, and after writes that have no version key). */
  clear(): void {
    this.entries.clear();
  }
}
