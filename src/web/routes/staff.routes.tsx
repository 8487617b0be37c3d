import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createCategory, editCategory, getCategoryById } from '../../categories/category.service.js';
import { NotFoundError } from '../../errors.js';
import { getModerationQueue, moderateExample, moderateFlag } from '../../packages/package-social.service.js';
import { listSearchMisses } from '../../search/search.service.js';
import { Csrf, Field, FormErrors as ErrorSummary, TextInput } from '../components.js';
import { attempt, idParam, readTitleAndSlug, redirectAfterPost, type FormErrors } from '../forms.js';
import { safeHref } from '../html.js';
import { renderPage, sendHtml } from '../layout.js';
import { listCategories } from '../listing.repository.js';
import { formatDay } from '../format.js';
import { formBody, toQuery } from '../params.js';
import { requireStaff } from '../viewer.js';

/** Registers the staff pages: moderation queue (examples and flags), categories, searches that found nothing. */
export function registerStaffRoutes(app: FastifyInstance): void {
  const { db, config } = app.ctx;

  app.get('/staff/search-misses/', async (req, reply) => {
    requireStaff(req);
    const misses = await listSearchMisses(db, { days: 30, limit: 100 });
    const body = (
      <>
        <h1>Searches that found nothing</h1>
        <p class="muted">
          The last 30 days, most searched first: a package the directory lacks, or words its descriptions do not use. Only the query is
          kept, with no address or user; a query is forgotten 90 days after it was last searched.
        </p>
        {misses.length === 0 ? (
          <p class="muted">None.</p>
        ) : (
          <table class="list">
            <thead>
              <tr>
                <th scope="col">Query</th>
                <th scope="col" class="num">
                  Searches
                </th>
                <th scope="col">First</th>
                <th scope="col">Last</th>
              </tr>
            </thead>
            <tbody>
              {misses.map((m) => (
                <tr key={m.query}>
                  <td>
                    <a href={`/search/${toQuery({ q: m.query })}`}>{m.query}</a>
                  </td>
                  <td class="num">{m.count}</td>
                  <td>{formatDay(m.firstSeen, config.timeZone)}</td>
                  <td>{formatDay(m.lastSeen, config.timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>
    );
    return sendHtml(req, reply, renderPage(req, { title: 'Searches that found nothing', body }));
  });

  app.get('/staff/', async (req, reply) => {
    requireStaff(req);
    return reply.redirect('/staff/moderation/', 302);
  });

  app.get('/staff/moderation/', async (req, reply) => {
    const viewer = requireStaff(req);
    const q = await getModerationQueue(db);
    const decide = (action: string, label: string, cls: string) => (
      <form method="post" action={action} class="inline">
        <Csrf token={viewer.csrfToken} />
        <button type="submit" class={cls}>
          {label}
        </button>
      </form>
    );
    const body = (
      <>
        <h1>Moderation queue</h1>
        <p>
          <a href="/staff/categories/">Categories</a> · <a href="/staff/search-misses/">Searches that found nothing</a>
        </p>
        <h2>Sites awaiting review ({q.examples.length})</h2>
        {q.examples.length === 0 ? <p class="muted">Nothing to review.</p> : null}
        <ul class="plain">
          {q.examples.map((e) => (
            <li key={e.id}>
              <a href={safeHref(e.url)} rel="nofollow noopener">
                {e.title}
              </a>{' '}
              <span class="muted">
                ({e.url}) for <a href={`/packages/p/${encodeURIComponent(e.package_slug)}/`}>{e.package_title}</a> by{' '}
                {e.username ?? 'unknown'}
              </span>{' '}
              {decide(`/staff/examples/${e.id}/approve/`, 'Approve', '')} {decide(`/staff/examples/${e.id}/reject/`, 'Reject', 'danger')}
            </li>
          ))}
        </ul>
        <h2>Open flags ({q.flags.length})</h2>
        {q.flags.length === 0 ? <p class="muted">No open flags.</p> : null}
        <ul class="plain">
          {q.flags.map((f) => (
            <li key={f.id}>
              <a href={`/packages/p/${encodeURIComponent(f.package_slug)}/`}>{f.package_title}</a> flagged by {f.username}: {f.reason}{' '}
              {decide(`/packages/flag/${f.id}/approve/`, 'Approve', '')} {decide(`/packages/flag/${f.id}/remove/`, 'Remove', 'secondary')}
            </li>
          ))}
        </ul>
      </>
    );
    return sendHtml(req, reply, renderPage(req, { title: 'Moderation', body }));
  });

  for (const [path, approve] of [
    ['approve', true],
    ['reject', false],
  ] as const) {
    app.post<{ Params: { id: string } }>(`/staff/examples/:id/${path}/`, async (req, reply) => {
      const viewer = requireStaff(req);
      const id = idParam(req.params.id);
      if (id === null) throw new NotFoundError('No such example.');
      await moderateExample(db, { id: viewer.id, staff: true }, id, approve);
      return redirectAfterPost(req, reply, '/staff/moderation/');
    });
  }
  for (const [path, approve] of [
    ['approve', true],
    ['remove', false],
  ] as const) {
    app.post<{ Params: { id: string } }>(`/packages/flag/:id/${path}/`, async (req, reply) => {
      const viewer = requireStaff(req);
      const id = idParam(req.params.id);
      if (id === null) throw new NotFoundError('No such flag.');
      await moderateFlag(db, { id: viewer.id, staff: true }, id, approve);
      return redirectAfterPost(req, reply, '/staff/moderation/');
    });
  }

  app.get('/staff/categories/', async (req, reply) => {
    requireStaff(req);
    const cats = await listCategories(db);
    const body = (
      <>
        <h1>Categories</h1>
        <p>
          <a class="btn" href="/staff/categories/add/">
            Add a category
          </a>
        </p>
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Slug</th>
              <th scope="col" class="num">
                Packages
              </th>
            </tr>
          </thead>
          <tbody>
            {cats.map((c) => (
              <tr key={c.id}>
                <td>
                  <a href={`/staff/categories/${c.id}/edit/`}>{c.title}</a>
                </td>
                <td>{c.slug}</td>
                <td class="num">{c.packageCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    );
    return sendHtml(req, reply, renderPage(req, { title: 'Categories', body }));
  });

  async function categoryForm(req: FastifyRequest, reply: FastifyReply, id: number | null) {
    const viewer = requireStaff(req);
    let values: Record<string, string> = { title: '', slug: '', title_plural: '', description: '' };
    if (id !== null) {
      const c = await getCategoryById(db, id);
      if (!c) throw new NotFoundError('No such category.');
      values = { title: c.title, slug: c.slug, title_plural: c.title_plural, description: c.description };
    }
    let errors: FormErrors = {};
    if (req.method === 'POST') {
      values = formBody(req);
      // Categories hold 50 characters of title, slug and plural title.
      const { title, slug } = readTitleAndSlug(values, errors, 50);
      const titlePlural = (values.title_plural ?? '').trim();
      if (titlePlural.length > 50) errors.title_plural = ['Ensure this value has at most 50 characters.'];
      if (Object.keys(errors).length === 0) {
        const input = { title, slug, title_plural: titlePlural, description: (values.description ?? '').trim() };
        const r = await attempt(async () => {
          if (id === null) await createCategory(db, viewer.id, input);
          else await editCategory(db, viewer.id, id, input);
        });
        if (!r) return redirectAfterPost(req, reply, '/staff/categories/');
        errors = r;
      }
    }
    const body = (
      <>
        <h1>{id === null ? 'Add a category' : 'Edit a category'}</h1>
        <form method="post" action={id === null ? '/staff/categories/add/' : `/staff/categories/${id}/edit/`}>
          <ErrorSummary errors={errors} />
          <Csrf token={viewer.csrfToken} />
          <Field name="title" label="Title" errors={errors}>
            <TextInput name="title" values={values} errors={errors} required maxLength={50} />
          </Field>
          <Field name="slug" label="Slug" errors={errors}>
            <TextInput name="slug" values={values} errors={errors} maxLength={50} />
          </Field>
          <Field name="title_plural" label="Plural title" errors={errors}>
            <TextInput name="title_plural" values={values} errors={errors} maxLength={50} />
          </Field>
          <Field name="description" label="Description" errors={errors}>
            <textarea id="f-description" name="description">
              {values.description ?? ''}
            </textarea>
          </Field>
          <button type="submit">Save</button>
        </form>
      </>
    );
    return sendHtml(req, reply, renderPage(req, { title: 'Category', body }), Object.keys(errors).length ? 400 : 200);
  }

  app.route({ method: ['GET', 'POST'], url: '/staff/categories/add/', handler: (req, reply) => categoryForm(req, reply, null) });
  app.route<{ Params: { id: string } }>({
    method: ['GET', 'POST'],
    url: '/staff/categories/:id/edit/',
    handler: (req, reply) => {
      const id = idParam(req.params.id);
      if (id === null) throw new NotFoundError('No such category.');
      return categoryForm(req, reply, id);
    },
  });
}
