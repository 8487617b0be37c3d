import { AppError } from '../errors.js';

/** What a response is rendered as: compact JSON, indented JSON, or the browsable HTML page. */
export type ApiFormat = { kind: 'json'; indent: number } | { kind: 'api'; viaQuery: boolean };

const COMPACT: ApiFormat = Object.freeze({ kind: 'json', indent: 0 });

/** 406 with Django REST framework's message. */
export class NotAcceptableError extends AppError {
  constructor() {
    super(406, 'not_acceptable', 'Could not satisfy the request Accept header.');
  }
}

interface MediaRange {
  type: string;
  q: number;
  indent: number;
  order: number;
}

function parseAccept(accept: string): MediaRange[] {
  const out: MediaRange[] = [];
  let order = 0;
  for (const part of accept.split(',')) {
    const [rawType, ...params] = part.split(';');
    const type = (rawType ?? '').trim().toLowerCase();
    if (type === '') continue;
    let q = 1;
    let indent = 0;
    for (const p of params) {
      const [k, v] = p.split('=').map((s) => s.trim());
      if (k === 'q') q = Number(v) || 0;
      // DRF reads `indent` from the accepted media type; clamp so a client cannot ask for megabytes of spaces.
      if (k === 'indent' && v !== undefined && /^\d+$/.test(v)) indent = Math.min(Number(v), 8);
    }
    out.push({ type, q, indent, order: order++ });
  }
  // DRF prefers the most specific and highest-q range; ties keep the client's order.
  return out.sort((a, b) => b.q - a.q || specificity(b.type) - specificity(a.type) || a.order - b.order);
}

function specificity(type: string): number {
  if (type === '*/*') return 0;
  if (type.endsWith('/*')) return 1;
  return 2;
}

/**
 * Picks the renderer as DRF does: an explicit format (`?format=` or a `.json`/`.api` suffix) wins, then the
 * Accept header against [application/json, text/html]; unknown formats are 404, unsatisfiable Accept 406.
 */
export function negotiate(formatParam: string | undefined, accept: string | undefined): ApiFormat {
  if (formatParam !== undefined && formatParam !== '') {
    if (formatParam === 'json') return COMPACT;
    if (formatParam === 'api') return { kind: 'api', viaQuery: true };
    throw new AppError(404, 'not_found', 'Not found.');
  }
  if (accept === undefined || accept === '' || accept === '*/*' || accept === 'application/json') return COMPACT;
  for (const r of parseAccept(accept)) {
    if (r.q <= 0) continue;
    if (r.type === 'application/json' || r.type === 'application/*') return r.indent > 0 ? { kind: 'json', indent: r.indent } : COMPACT;
    if (r.type === 'text/html' || r.type === 'text/*') return { kind: 'api', viaQuery: false };
    if (r.type === '*/*') return COMPACT;
  }
  throw new NotAcceptableError();
}
