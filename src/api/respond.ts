import type { FastifyReply, FastifyRequest } from 'fastify';
import { timestampToMillis } from '../lib/datetime.js';
import type { ApiFormat } from './negotiation.js';
import { renderBrowsable, type BrowsableExtras } from './browsable/render.js';
import { etagOf, type PreparedResponse } from './response-cache.js';

/** The browsable view's title and description of an endpoint (DRF's view name and docstring). */
export interface ApiView {
  name: string;
  description: string;
}

/** One API response before rendering. */
export interface ApiResponse {
  status: number;
  /** The value to render; compact JSON is `json` when given (precomputed), else JSON.stringify(value). */
  value: unknown;
  json?: string;
  /** Newest timestamp in the payload (database text), for Last-Modified. */
  lastModified?: string | null;
  /** Already rendered (cached) compact JSON; wins over value/json. */
  prepared?: PreparedResponse;
}

// DRF's JSONRenderer escapes these two so the output is also valid JavaScript.
const LINE_SEPARATORS = /[\u2028\u2029]/g;

/** Compact JSON exactly as DRF's JSONRenderer writes it. */
export function compactJson(value: unknown): string {
  const s = JSON.stringify(value);
  return s.includes('\u2028') || s.includes('\u2029') ? s.replace(LINE_SEPARATORS, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029')) : s;
}

/** Indented JSON as DRF's JSONRenderer writes it for `; indent=N` (Python separators: ", " and ": "). */
export function indentedJson(value: unknown, indent: number): string {
  return compactJsonIndent(JSON.stringify(value, null, indent));
}

function compactJsonIndent(s: string): string {
  return s.replace(LINE_SEPARATORS, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));
}

function notModified(req: FastifyRequest, etag: string, lastModifiedMs: number | undefined): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2); weak comparison.
    return inm.split(',').some((t) => {
      const v = t.trim();
      return v === '*' || v === etag || v === `W/${etag}`;
    });
  }
  const ims = req.headers['if-modified-since'];
  if (ims !== undefined && lastModifiedMs !== undefined) {
    const since = Date.parse(ims);
    return Number.isFinite(since) && Math.floor(lastModifiedMs / 1000) * 1000 <= since;
  }
  return false;
}

/** Renders and sends an API response in the negotiated format with Vary, Allow, ETag and Last-Modified (304 when fresh). */
export function sendApi(
  req: FastifyRequest,
  reply: FastifyReply,
  format: ApiFormat,
  view: ApiView,
  allow: string,
  res: ApiResponse,
  extras: BrowsableExtras = {},
): FastifyReply {
  reply.header('allow', allow).header('vary', 'Accept');
  if (req.user) reply.header('cache-control', 'private');
  const readable = res.status === 200 && (req.method === 'GET' || req.method === 'HEAD');
  const p = res.prepared;
  if (p !== undefined && format.kind === 'json' && format.indent === 0) {
    // The hot path: everything was rendered once (see response-cache.ts).
    if (readable) {
      reply.header('etag', p.etag);
      if (p.lastModifiedHttp !== undefined) reply.header('last-modified', p.lastModifiedHttp);
      if (notModified(req, p.etag, p.lastModifiedMs)) return reply.status(304).send();
    }
    return reply.status(res.status).header('content-type', 'application/json').send(p.buffer);
  }
  const value = p !== undefined ? p.value : res.value;
  let body: string;
  let type: string;
  if (format.kind === 'json') {
    body = format.indent > 0 ? indentedJson(value, format.indent) : (res.json ?? compactJson(value));
    type = 'application/json';
  } else {
    body = renderBrowsable(req, { view, allow, status: res.status, value, viaQuery: format.viaQuery, ...(p?.extras ?? {}), ...extras });
    type = 'text/html; charset=utf-8';
  }
  if (readable) {
    const etag = etagOf(body);
    reply.header('etag', etag);
    let lmMs: number | undefined;
    const lm = p !== undefined ? p.lastModifiedMs : res.lastModified ? timestampToMillis(res.lastModified) : undefined;
    if (lm !== undefined && Number.isFinite(lm)) {
      lmMs = lm;
      reply.header('last-modified', new Date(lm).toUTCString());
    }
    if (notModified(req, etag, lmMs)) return reply.status(304).send();
  }
  // A Buffer keeps Fastify from appending "; charset=utf-8": DRF sends exactly `application/json`.
  return reply
    .status(res.status)
    .header('content-type', type)
    .send(format.kind === 'json' ? Buffer.from(body) : body);
}

/** The later of two database timestamps (either may be null). */
export function laterOf(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return timestampToMillis(a) >= timestampToMillis(b) ? a : b;
}
