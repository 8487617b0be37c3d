import { STATUS_CODES } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { requestOrigin, withQuery } from '../links.js';
import type { ApiView } from '../respond.js';
import { BROWSABLE_CSS } from './style.js';

/** What list and detail reads add to the browsable page. */
export interface BrowsableExtras {
  next?: string | null;
  previous?: string | null;
  /** The JSON an editor's form starts from (null: no form). */
  form?: Record<string, unknown> | null;
  /** Write methods the caller may use here, in DRF's order. */
  formMethods?: string[];
  /** The raw content an editor sent, put back in the form after a failed write (wins over `form`). */
  formContent?: string;
}

/** Everything one browsable page shows. */
export interface BrowsableInput extends BrowsableExtras {
  view: ApiView;
  allow: string;
  status: number;
  value: unknown;
  /** The page was asked for with ?format=api, so links keep it (as DRF's reverse() does). */
  viaQuery: boolean;
}

const URL_IN_JSON = /"(https?:\/\/[^"\\\s]+)"/g;

function addApiFormat(value: unknown, origin: string): unknown {
  if (typeof value === 'string') return value.startsWith(`${origin}/api/`) ? withQuery(value, { format: 'api' }) : value;
  if (Array.isArray(value)) return value.map((v) => addApiFormat(v, origin));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = addApiFormat(v, origin);
    return out;
  }
  return value;
}

/** Pretty JSON with every http(s) URL turned into a link; preact escapes the text and the attributes. */
function LinkedJson({ text }: { text: string }): VNode {
  const parts: ComponentChildren[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_IN_JSON)) {
    const url = m[1] ?? '';
    const at = m.index;
    parts.push(text.slice(last, at + 1));
    parts.push(
      <a href={url} rel="nofollow">
        {url}
      </a>,
    );
    last = at + 1 + url.length;
  }
  parts.push(text.slice(last));
  return <pre class="prettyprint">{parts}</pre>;
}

function Breadcrumbs({ path }: { path: string }): VNode {
  const segs = path.split('/').filter(Boolean);
  const crumbs: { href: string; label: string }[] = [{ href: '/api/v4/', label: 'Api Root' }];
  let acc = '';
  for (const [i, s] of segs.entries()) {
    acc += `/${s}`;
    if (i >= 2) crumbs.push({ href: `${acc}/`, label: s });
  }
  return (
    <ul class="breadcrumb">
      {crumbs.map((c, i) => (
        <li key={c.href}>{i === crumbs.length - 1 ? <span>{c.label}</span> : <a href={c.href}>{c.label}</a>}</li>
      ))}
    </ul>
  );
}

function EditForm({ url, methods, content, csrf }: { url: string; methods: string[]; content: string; csrf: string | null }): VNode {
  const bodyMethods = methods.filter((m) => m !== 'DELETE');
  return (
    <div class="edit">
      {bodyMethods.length > 0 && (
        <form method="post" action={url}>
          <h2>Edit</h2>
          {csrf !== null && <input type="hidden" name="csrfmiddlewaretoken" value={csrf} />}
          <label>
            Media type: <input type="text" name="_content_type" value="application/json" readOnly />
          </label>
          <label>
            Content:
            <textarea name="_content" rows={14}>
              {content}
            </textarea>
          </label>
          {bodyMethods.map((m) => (
            <button type="submit" name="_method" value={m} key={m}>
              {m}
            </button>
          ))}
        </form>
      )}
      {methods.includes('DELETE') && (
        <form method="post" action={url} class="delete">
          {csrf !== null && <input type="hidden" name="csrfmiddlewaretoken" value={csrf} />}
          <input type="hidden" name="_method" value="DELETE" />
          <input type="hidden" name="_content" value="" />
          <button type="submit" class="danger">
            DELETE
          </button>
        </form>
      )}
    </div>
  );
}

/** Renders Django REST framework's browsable API page for one response. */
export function renderBrowsable(req: FastifyRequest, input: BrowsableInput): string {
  const origin = requestOrigin(req);
  const value = input.viaQuery ? addApiFormat(input.value, origin) : input.value;
  const link = (u: string | null | undefined): string | null => (u ? (input.viaQuery ? withQuery(u, { format: 'api' }) : u) : null);
  const q = req.url.indexOf('?');
  const path = q === -1 ? req.url : req.url.slice(0, q);
  const jsonUrl = withQuery(req.url, { format: 'json' });
  const apiUrl = withQuery(req.url, { format: 'api' });
  const next = link(input.next);
  const previous = link(input.previous);
  const user = req.user;
  const page = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="robots" content="NONE,NOARCHIVE" />
        <title>{`${input.view.name} – packgrid API`}</title>
        {/* A constant stylesheet, not user text: safe to inline unescaped. */}
        <style dangerouslySetInnerHTML={{ __html: BROWSABLE_CSS }} />
      </head>
      <body>
        <header class="navbar">
          <a class="brand" href="/api/v4/">
            packgrid REST API
          </a>
          <span class="auth">
            {user ? (
              <>
                <span class="user">{user.username}</span> · <a href="/logout/">Log out</a>
              </>
            ) : (
              <a href={`/login/?next=${encodeURIComponent(req.url)}`}>Log in</a>
            )}
          </span>
        </header>
        <main class="container">
          <Breadcrumbs path={path} />
          <div class="formats">
            <a class="button" href={req.url}>
              GET
            </a>
            <a class="button" href={jsonUrl}>
              json
            </a>
            <a class="button" href={apiUrl}>
              api
            </a>
            <a class="button" href="/api/docs/">
              docs
            </a>
          </div>
          <h1>{input.view.name}</h1>
          <p class="description">{input.view.description}</p>
          <div class="request-info">
            <pre class="request">{`${req.method} ${req.url}`}</pre>
          </div>
          <div class="response-info">
            <pre class="headers">
              <b>{`HTTP ${input.status} ${STATUS_CODES[input.status] ?? ''}`}</b>
              {`\nAllow: ${input.allow}\nContent-Type: application/json\nVary: Accept\n\n`}
            </pre>
            <LinkedJson text={JSON.stringify(value, null, 4) ?? ''} />
          </div>
          {(next ?? previous) !== null && (
            <nav class="pagination">
              {previous !== null ? (
                <a rel="prev" href={previous}>
                  « Previous
                </a>
              ) : (
                <span class="disabled">« Previous</span>
              )}
              {next !== null ? (
                <a rel="next" href={next}>
                  Next »
                </a>
              ) : (
                <span class="disabled">Next »</span>
              )}
            </nav>
          )}
          {user && input.form && (input.formMethods ?? []).length > 0 && (
            <EditForm
              url={req.url}
              methods={input.formMethods ?? []}
              content={input.formContent ?? JSON.stringify(input.form, null, 4)}
              csrf={req.csrfToken}
            />
          )}
        </main>
      </body>
    </html>
  );
  return '<!DOCTYPE html>' + renderToString(page);
}
