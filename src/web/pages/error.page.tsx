import type { FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderPage } from '../layout.js';

function body(status: number, message: string, req: FastifyRequest): VNode {
  if (status === 404) {
    return (
      <>
        <h1>Page not found</h1>
        <p>{message === 'Not found.' ? 'There is nothing at this address.' : message}</p>
        <p>
          Try <a href="/packages/">the package list</a>, <a href="/grids/">the grids</a> or the search box above.
        </p>
      </>
    );
  }
  if (status === 401) {
    return (
      <>
        <h1>Please sign in</h1>
        <p>{message}</p>
        <p>
          <a class="btn" href={`/login/?next=${encodeURIComponent(req.url)}`}>
            Sign in with GitHub
          </a>
        </p>
      </>
    );
  }
  if (status >= 500) {
    return (
      <>
        <h1>Something went wrong</h1>
        <p>Sorry: this page failed on our side. It has been logged; please try again in a moment.</p>
        <p>
          <a href="/">Home</a>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>{status === 403 ? 'Not allowed' : 'That did not work'}</h1>
      <p>{message}</p>
      <p>
        <a href="/">Home</a>
      </p>
    </>
  );
}

/** The site's error page (404, 401, 403, 500 ...), rendered in the layout; never throws. */
export function renderErrorPage(status: number, message: string, req: FastifyRequest): string {
  try {
    return renderPage(req, { title: status === 404 ? 'Not found' : `Error ${status}`, body: body(status, message, req) });
  } catch {
    return `<!doctype html><title>Error ${status}</title><h1>Error ${status}</h1><p><a href="/">Home</a></p>`;
  }
}
