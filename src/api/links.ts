import type { FastifyRequest } from 'fastify';

/**
 * The request's origin (`https://host`). Fastify honours X-Forwarded-Proto/Host only when TRUST_PROXY is set,
 * so hyperlinks follow the proxy exactly when the operator says the proxy is trusted.
 */
export function requestOrigin(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}

/** The absolute `/api/v4` base (no trailing slash) that v4 hyperlinks are built on. */
export function apiV4Base(req: FastifyRequest): string {
  return `${requestOrigin(req)}/api/v4`;
}

/** The request's full absolute URL, as DRF's build_absolute_uri(). */
export function absoluteUrl(req: FastifyRequest): string {
  return requestOrigin(req) + req.url;
}

/** Encodes like Python's urlencode (quote_plus): spaces as '+', the rest percent-encoded. */
function encodePair(k: string, v: string): string {
  return `${quotePlus(k)}=${quotePlus(v)}`;
}

function quotePlus(s: string): string {
  return encodeURIComponent(s)
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * DRF's replace_query_param/remove_query_param: sets (or with undefined removes) parameters, keeps the others,
 * and writes them sorted by key as Django does.
 */
export function withQuery(url: string, changes: Record<string, string | undefined>): string {
  const q = url.indexOf('?');
  const base = q === -1 ? url : url.slice(0, q);
  const params = new Map<string, string[]>();
  if (q !== -1) {
    for (const [k, v] of new URLSearchParams(url.slice(q + 1))) {
      const list = params.get(k);
      if (list) list.push(v);
      else params.set(k, [v]);
    }
  }
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) params.delete(k);
    else params.set(k, [v]);
  }
  const keys = [...params.keys()].sort();
  const parts: string[] = [];
  for (const k of keys) for (const v of params.get(k) ?? []) parts.push(encodePair(k, v));
  return parts.length === 0 ? base : `${base}?${parts.join('&')}`;
}
