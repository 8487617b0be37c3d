import type { TObject } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isStaff, type AuthUser } from '../accounts/auth-user.js';
import { AppError, NotAuthenticatedError, NotFoundError, PermissionDeniedError } from '../errors.js';
import { fieldMetadata, type FieldInfo } from './metadata.js';
import { negotiate, type ApiFormat } from './negotiation.js';
import { FixedWindowLimiter, ThrottledError } from '../rate-limit.js';
import { sendApi, type ApiResponse, type ApiView } from './respond.js';
import { clearApiCaches } from './response-cache.js';
import type { BrowsableExtras } from './browsable/render.js';

/** Who may use a method. */
export type Access = 'public' | 'user' | 'staff';
/** The unsafe methods an endpoint may implement. */
export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a handler gets: the request, the negotiated format and the lookup key (detail endpoints). */
export interface CallContext {
  req: FastifyRequest;
  reply: FastifyReply;
  format: ApiFormat;
  key: string;
  user: AuthUser | null;
}

/** One URL's behaviour: a read (GET/HEAD) and optional writes with their access level. */
export interface Endpoint {
  view: ApiView;
  read?: (c: CallContext) => Promise<ApiResponse & { extras?: BrowsableExtras }>;
  writes?: Partial<
    Record<WriteMethod, { access: Exclude<Access, 'public'>; handle: (c: CallContext, body: unknown) => Promise<ApiResponse> }>
  >;
  /** Fields the browsable form offers (JSON template), for editors. */
  formTemplate?: (c: CallContext) => Promise<Record<string, unknown> | null>;
  /** The response record and the write body schemas, for OPTIONS' `actions` (DRF's SimpleMetadata). */
  fields?: { record: TObject; write: TObject };
}

const METHOD_ORDER: WriteMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];
const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const PARSES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'];
const RENDERS = ['application/json', 'text/html'];

function allowed(access: Access, user: AuthUser | null): boolean {
  if (access === 'public') return true;
  if (access === 'user') return user !== null;
  return isStaff(user);
}

/** Precomputed Allow headers per caller class, so the hot path allocates nothing. */
function allowHeaders(ep: Endpoint): { anon: string; user: string; staff: string; options: ReturnType<typeof optionsBodies> } {
  const build = (user: AuthUser | null): string => {
    const m: string[] = ep.read ? ['GET'] : [];
    for (const w of METHOD_ORDER) {
      const spec = ep.writes?.[w];
      if (spec && allowed(spec.access, user)) m.push(w);
    }
    if (ep.read) m.push('HEAD');
    m.push('OPTIONS');
    return m.join(', ');
  };
  return { anon: build(null), user: build(SOME_USER), staff: build(SOME_STAFF), options: optionsBodies(ep) };
}

const SOME_USER: AuthUser = { id: 0, username: '', isStaff: false, isSuperuser: false };
const SOME_STAFF: AuthUser = { id: 0, username: '', isStaff: true, isSuperuser: false };

// DRF's SimpleMetadata describes only POST and PUT, and only to callers whose permissions allow them.
const DESCRIBED: readonly WriteMethod[] = ['PUT', 'POST'];

/** What OPTIONS answers, per caller class (computed once per endpoint). */
function optionsBodies(ep: Endpoint): { anon: Record<string, unknown>; user: Record<string, unknown>; staff: Record<string, unknown> } {
  const base = { name: ep.view.name, description: ep.view.description, renders: RENDERS, parses: PARSES };
  const fields = ep.fields ? fieldMetadata(ep.fields.record, ep.fields.write) : null;
  const build = (user: AuthUser | null): Record<string, unknown> => {
    const actions: Partial<Record<WriteMethod, Record<string, FieldInfo>>> = {};
    for (const m of DESCRIBED) {
      const spec = ep.writes?.[m];
      if (fields && spec && allowed(spec.access, user)) actions[m] = fields;
    }
    return Object.keys(actions).length > 0 ? { ...base, actions } : base;
  };
  return { anon: build(null), user: build(SOME_USER), staff: build(SOME_STAFF) };
}

// DRF describes PUT only after get_object() succeeds: OPTIONS on an unknown id answers without that action.
async function withoutMissingObject(ep: Endpoint, c: CallContext, value: Record<string, unknown>): Promise<Record<string, unknown>> {
  const actions = value.actions as Record<string, unknown> | undefined;
  if (!actions || !('PUT' in actions) || !ep.read) return value;
  try {
    await ep.read(c);
    return value;
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
    const { PUT: _put, ...rest } = actions;
    const { actions: _all, ...base } = value;
    return Object.keys(rest).length > 0 ? { ...base, actions: rest } : base;
  }
}

/** Limits shared by every endpoint of one app. */
export interface Limiters {
  reads: FixedWindowLimiter;
  writes: FixedWindowLimiter;
}

/** Builds the per-app limiters from config (0 disables). */
export function createLimiters(readsPerMinute: number, writesPerMinute: number): Limiters {
  return { reads: new FixedWindowLimiter(readsPerMinute), writes: new FixedWindowLimiter(writesPerMinute) };
}

// The browsable form posts urlencoded `_method` + `_content` (JSON), as DRF's raw-data form does.
function formMethod(req: FastifyRequest): { method: string; content: string | null } {
  const body = req.body;
  if (req.method !== 'POST' || body === null || typeof body !== 'object' || !('_content' in body))
    return { method: req.method, content: null };
  const form = body as Record<string, unknown>;
  return {
    method: typeof form._method === 'string' ? form._method.toUpperCase() : 'POST',
    content: typeof form._content === 'string' ? form._content : '',
  };
}

function parseContent(req: FastifyRequest, content: string | null): unknown {
  if (content === null) return req.body;
  if (content.trim() === '') return {};
  try {
    return JSON.parse(content) as unknown;
  } catch (e) {
    throw new AppError(400, 'parse_error', `JSON parse error - ${(e as Error).message}`);
  }
}

// What the editor sent, to put back in the form when the write fails (DRF keeps the raw content on a 400).
function submitted(req: FastifyRequest, content: string | null): string {
  if (content !== null) return content;
  return req.body === undefined || req.body === null ? '' : (JSON.stringify(req.body, null, 4) ?? '');
}

/** Runs one request against an endpoint: negotiation, throttling, method and permission checks, then the handler. */
export async function dispatch(
  ep: Endpoint,
  allow: ReturnType<typeof allowHeaders>,
  limiters: Limiters,
  req: FastifyRequest,
  reply: FastifyReply,
  formatParam: string | undefined,
  key: string,
): Promise<FastifyReply> {
  const user = req.user;
  const allowHeader = user === null ? allow.anon : isStaff(user) ? allow.staff : allow.user;
  const format = negotiate(formatParam, req.headers.accept);
  const c: CallContext = { req, reply, format, key, user };
  const { method, content } = formMethod(req);
  const formMethods = allowHeader.split(', ').filter((m) => METHOD_ORDER.includes(m as WriteMethod));
  try {
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') {
      limiters.reads.hit(req.ip);
      if (method === 'OPTIONS') {
        const value = user === null ? allow.options.anon : isStaff(user) ? allow.options.staff : allow.options.user;
        return sendApi(req, reply, format, ep.view, allowHeader, { status: 200, value: await withoutMissingObject(ep, c, value) });
      }
      if (!ep.read) throw methodNotAllowed(method);
      const res = await ep.read(c);
      if (format.kind !== 'api') return sendApi(req, reply, format, ep.view, allowHeader, res);
      const form = user && ep.formTemplate ? await ep.formTemplate(c) : null;
      return sendApi(req, reply, format, ep.view, allowHeader, res, { ...res.extras, form, formMethods });
    }
    const spec = ep.writes?.[method as WriteMethod];
    if (!spec) throw methodNotAllowed(method);
    if (!user) {
      reply.header('www-authenticate', 'Token');
      throw new NotAuthenticatedError();
    }
    if (!allowed(spec.access, user)) throw new PermissionDeniedError();
    limiters.writes.hit(`u${user.id}`);
    const res = await spec.handle(c, parseContent(req, content));
    // recordEdit already cleared the caches inside the transaction; clear again now it has committed.
    clearApiCaches();
    return sendApi(req, reply, format, ep.view, allowHeader, res);
  } catch (e) {
    if (e instanceof ThrottledError) reply.header('retry-after', String(e.retryAfter));
    if (e instanceof AppError && e.status === 405) reply.header('allow', allowHeader);
    // DRF renders an error with the negotiated renderer: a browser sees it on the browsable page, form kept.
    if (format.kind === 'api' && e instanceof AppError && e.status >= 400 && e.status < 500 && method !== 'HEAD') {
      const isWrite = METHOD_ORDER.includes(method as WriteMethod);
      const extras = user && isWrite && formMethods.length > 0 ? { form: {}, formContent: submitted(req, content), formMethods } : {};
      return sendApi(req, reply, format, ep.view, allowHeader, { status: e.status, value: e.fields ?? { detail: e.message } }, extras);
    }
    throw e;
  }
}

function methodNotAllowed(method: string): AppError {
  return new AppError(405, 'method_not_allowed', `Method "${method}" not allowed.`);
}

const SUFFIX = /^(.+)\.([a-z0-9]+)$/;

function queryFormat(req: FastifyRequest): string | undefined {
  const f = (req.query as Record<string, unknown> | undefined)?.format;
  return typeof f === 'string' ? f : undefined;
}

function redirectWithSlash(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const q = req.url.indexOf('?');
  const path = q === -1 ? req.url : req.url.slice(0, q);
  return reply.redirect(`${path}/${q === -1 ? '' : req.url.slice(q)}`, 301);
}

/** Mounts a single endpoint at `path` (ending in '/'), plus the 301 from the slash-less form. */
export function mountSingle(app: FastifyInstance, path: string, ep: Endpoint, limiters: Limiters): void {
  const allow = allowHeaders(ep);
  app.route({
    method: [...ALL_METHODS],
    url: path,
    handler: (req, reply) => dispatch(ep, allow, limiters, req, reply, queryFormat(req), (req.params as { key?: string }).key ?? ''),
  });
  app.route({ method: [...ALL_METHODS], url: path.replace(/\/$/, ''), handler: async (req, reply) => redirectWithSlash(req, reply) });
}

/**
 * Mounts a DRF router resource: `base/` (list), `base.{format}`, `base/{key}/` (detail), `base/{key}.{format}`,
 * and 301s from the slash-less forms. The lookup value is `[^/.]+` as in DRF.
 */
export function mountResource(app: FastifyInstance, base: string, list: Endpoint, detail: Endpoint, limiters: Limiters): void {
  mountSingle(app, `${base}/`, list, limiters);
  const listAllow = allowHeaders(list);
  const detailAllow = allowHeaders(detail);
  app.route({
    method: [...ALL_METHODS],
    url: `${base}.:format`,
    handler: (req, reply) => dispatch(list, listAllow, limiters, req, reply, (req.params as { format: string }).format, ''),
  });
  const detailHandler = (withSlash: boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
    const raw = (req.params as { key: string }).key;
    const m = SUFFIX.exec(raw);
    if (m?.[1] !== undefined && m[2] !== undefined) {
      if (m[1].includes('.')) throw new NotFoundError();
      return dispatch(detail, detailAllow, limiters, req, reply, m[2], m[1]);
    }
    if (!withSlash) return redirectWithSlash(req, reply);
    if (raw.includes('.') || raw === '') throw new NotFoundError();
    return dispatch(detail, detailAllow, limiters, req, reply, queryFormat(req), raw);
  };
  app.route({ method: [...ALL_METHODS], url: `${base}/:key/`, handler: detailHandler(true) });
  app.route({ method: [...ALL_METHODS], url: `${base}/:key`, handler: detailHandler(false) });
}
