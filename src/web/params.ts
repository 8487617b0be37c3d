import type { FastifyRequest } from 'fastify';

/** A query-string value as a trimmed string ('' when absent or repeated oddly). */
export function qs(req: FastifyRequest, name: string, max = 200): string {
  const v = (req.query as Record<string, unknown> | undefined)?.[name];
  const s = typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
  return s.trim().slice(0, max);
}

/** A 1-based page number from ?page= (bad values give 1). */
export function pageParam(req: FastifyRequest): number {
  const n = Number(qs(req, 'page', 10));
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

/** A form body as a string map (the web forms post application/x-www-form-urlencoded). */
export function formBody(req: FastifyRequest): Record<string, string> {
  const b = req.body;
  const out: Record<string, string> = {};
  if (b && typeof b === 'object') {
    for (const [k, v] of Object.entries(b as Record<string, unknown>)) {
      if (typeof v === 'string') out[k] = v;
      else if (Array.isArray(v) && typeof v[0] === 'string') out[k] = v[0];
    }
  }
  return out;
}

/** Builds a query string from non-empty values. */
export function toQuery(params: Record<string, string | number | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '' && !(k === 'page' && v === 1)) u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}
