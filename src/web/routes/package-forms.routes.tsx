import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { NotFoundError } from '../../errors.js';
import { normalizeRepoUrl, RepoUrlError } from '../../fetchers/repo-url.js';
import { addPackageToGrid } from '../../grids/grid-content.service.js';
import { findGridPage } from '../../grids/grid-page.repository.js';
import { findPackagePage } from '../../packages/package-page.repository.js';
import { addExample, deleteExample, editExample, flagPackage, setFavourite, setUsage } from '../../packages/package-social.service.js';
import { createPackage, deletePackage, editPackage } from '../../packages/package.service.js';
import { Csrf, Field, FormErrors as ErrorSummary, TextInput } from '../components.js';
import { attempt, idParam, redirectAfterPost, slugError, slugify, type FormErrors } from '../forms.js';
import { isHtmx, renderFragment, renderPage, sendHtml } from '../layout.js';
import { listCategories, type CategoryInfo } from '../listing.repository.js';
import { FavouriteButton, pypiName, UsageButton } from '../pages/package.page.js';
import { formBody, qs } from '../params.js';
import { isStaffViewer, requireStaff, requireViewer, type Viewer } from '../viewer.js';
import { findExampleFields, findPackageByRepoUrl } from '../web-write.repository.js';

function PackageFields({
  values,
  errors,
  categories,
}: {
  values: Record<string, string>;
  errors: FormErrors;
  categories: CategoryInfo[];
}): VNode {
  return (
    <>
      <Field
        name="repo_url"
        label="Repository URL"
        errors={errors}
        help="https://github.com/owner/repo, GitLab, Bitbucket, Codeberg or Forgejo."
      >
        <TextInput name="repo_url" type="url" values={values} errors={errors} maxLength={200} />
      </Field>
      <Field name="title" label="Title" errors={errors}>
        <TextInput name="title" values={values} errors={errors} required maxLength={100} />
      </Field>
      <Field name="slug" label="Slug" errors={errors} help="Lowercase letters, numbers and hyphens; the package's address.">
        <TextInput name="slug" values={values} errors={errors} required maxLength={100} />
      </Field>
      <Field name="category" label="Category" errors={errors}>
        <select id="f-category" name="category" required>
          {categories.map((c) => (
            <option value={String(c.id)} selected={values.category === String(c.id)}>
              {c.title}
            </option>
          ))}
        </select>
      </Field>
      <Field name="pypi_url" label="PyPI name or URL" errors={errors}>
        <TextInput name="pypi_url" values={values} errors={errors} maxLength={255} />
      </Field>
      <Field name="documentation_url" label="Documentation URL" errors={errors}>
        <TextInput name="documentation_url" type="url" values={values} errors={errors} maxLength={255} />
      </Field>
    </>
  );
}

function validatePackageForm(v: Record<string, string>, categories: CategoryInfo[]): FormErrors {
  const errors: FormErrors = {};
  if ((v.title ?? '').trim() === '') errors.title = ['This field is required.'];
  const se = slugError((v.slug ?? '').trim());
  if (se) errors.slug = [se];
  if (!categories.some((c) => String(c.id) === v.category)) errors.category = ['Select a valid choice.'];
  return errors;
}

/** Registers the signed-in package forms: add (two steps), edit, documentation, fetch, favourite, usage, flag, examples, delete. */
export function registerPackageFormRoutes(app: FastifyInstance): void {
  const { db, refresh } = app.ctx;

  async function packageOr404(slug: string) {
    const p = await findPackagePage(db, slug);
    if (!p) throw new NotFoundError('No such package.');
    return p;
  }

  function addPage(
    req: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer,
    step2: VNode | null,
    values: Record<string, string>,
    errors: FormErrors,
    status = 200,
  ) {
    const body = (
      <>
        <h1>Add a package</h1>
        {values.grid_slug ? <p>It will be added to the grid “{values.grid_slug}”.</p> : null}
        <form
          method="post"
          action="/packages/add/validate/"
          hx-post="/packages/add/validate/"
          hx-target="#add-step2"
          hx-select="#add-step2"
          hx-swap="outerHTML"
        >
          <Csrf token={viewer.csrfToken} />
          <input type="hidden" name="grid_slug" value={values.grid_slug ?? ''} />
          <Field name="repo_url" label="Step 1: paste the repository URL" errors={step2 ? {} : errors}>
            <TextInput name="repo_url" type="url" values={values} errors={step2 ? {} : errors} required maxLength={300} />
          </Field>
          <button type="submit">Check</button>
        </form>
        <div id="add-step2">{step2}</div>
      </>
    );
    return sendHtml(req, reply, renderPage(req, { title: 'Add a package', body }), status);
  }

  function step2Form(viewer: Viewer, values: Record<string, string>, errors: FormErrors, categories: CategoryInfo[]): VNode {
    return (
      <form method="post" action="/packages/add/">
        <h2>Step 2: check and save</h2>
        <ErrorSummary errors={errors} />
        <Csrf token={viewer.csrfToken} />
        <input type="hidden" name="grid_slug" value={values.grid_slug ?? ''} />
        <PackageFields values={values} errors={errors} categories={categories} />
        <button type="submit">Add package</button>
      </form>
    );
  }

  app.get('/packages/add/', async (req, reply) => {
    const viewer = requireViewer(req);
    return addPage(req, reply, viewer, null, { grid_slug: qs(req, 'grid_slug', 100) }, {});
  });

  app.post('/packages/add/validate/', async (req, reply) => {
    const viewer = requireViewer(req);
    const v = formBody(req);
    const raw = (v.repo_url ?? '').trim();
    let normalized: string;
    try {
      normalized = normalizeRepoUrl(raw);
    } catch (e) {
      if (!(e instanceof RepoUrlError)) throw e;
      return addPage(req, reply, viewer, null, v, { repo_url: [e.message] }, 400);
    }
    const existing = await findPackageByRepoUrl(db, normalized);
    let step2: VNode;
    if (existing) {
      step2 = (
        <div class="notice" role="status">
          This repository is already listed as <a href={`/packages/p/${encodeURIComponent(existing.slug)}/`}>{existing.title}</a>.
        </div>
      );
    } else {
      const name = normalized.split('/').pop() ?? '';
      const categories = await listCategories(db);
      const values = {
        repo_url: normalized,
        title: name,
        slug: slugify(name),
        pypi_url: name,
        category: String(categories.find((c) => /app/i.test(c.title))?.id ?? categories[0]?.id ?? ''),
        grid_slug: v.grid_slug ?? '',
      };
      step2 = step2Form(viewer, values, {}, categories);
    }
    if (isHtmx(req)) return sendHtml(req, reply, renderFragment(<div id="add-step2">{step2}</div>));
    return addPage(req, reply, viewer, step2, { ...v, repo_url: normalized }, {});
  });

  app.post('/packages/add/', async (req, reply) => {
    const viewer = requireViewer(req);
    const v = formBody(req);
    const categories = await listCategories(db);
    let errors: FormErrors | null = validatePackageForm(v, categories);
    let slug = '';
    if (Object.keys(errors).length === 0) {
      errors = await attempt(async () => {
        const title = (v.title ?? '').trim();
        slug = (v.slug ?? '').trim();
        const id = await createPackage(db, refresh, viewer.id, {
          title,
          slug,
          category: Number(v.category),
          repo_url: v.repo_url ?? '',
          pypi_url: v.pypi_url ?? '',
          documentation_url: (v.documentation_url ?? '').trim() || null,
        });
        const gridSlug = (v.grid_slug ?? '').trim();
        if (gridSlug !== '') {
          const grid = await findGridPage(db, gridSlug);
          if (grid) await addPackageToGrid(db, { id: viewer.id, staff: isStaffViewer(viewer) }, grid.id, id);
        }
      });
    }
    if (errors) return addPage(req, reply, viewer, step2Form(viewer, v, errors, categories), v, errors, 400);
    return redirectAfterPost(req, reply, `/packages/p/${encodeURIComponent(slug)}/`);
  });

  app.route<{ Params: { slug: string } }>({
    method: ['GET', 'POST'],
    url: '/packages/:slug/edit/',
    handler: async (req, reply) => {
      const viewer = requireViewer(req);
      const p = await packageOr404(req.params.slug);
      const categories = await listCategories(db);
      let values: Record<string, string> = {
        repo_url: p.repo_url,
        title: p.title,
        slug: p.slug,
        category: String(p.category_id),
        pypi_url: p.pypi_url ? pypiName(p.pypi_url) : '',
        documentation_url: p.documentation_url ?? '',
      };
      let errors: FormErrors = {};
      if (req.method === 'POST') {
        values = formBody(req);
        errors = validatePackageForm(values, categories);
        if (Object.keys(errors).length === 0) {
          const r = await attempt(() =>
            editPackage(db, refresh, viewer.id, p.id, {
              title: (values.title ?? '').trim(),
              slug: (values.slug ?? '').trim(),
              category: Number(values.category),
              repo_url: values.repo_url ?? '',
              pypi_url: values.pypi_url ?? '',
              documentation_url: (values.documentation_url ?? '').trim() || null,
            }),
          );
          if (!r) return redirectAfterPost(req, reply, `/packages/p/${encodeURIComponent((values.slug ?? '').trim())}/`);
          errors = r;
        }
      }
      const staff = isStaffViewer(viewer);
      const body = (
        <>
          <h1>Edit {p.title}</h1>
          <form method="post" action={`/packages/${encodeURIComponent(p.slug)}/edit/`}>
            <ErrorSummary errors={errors} />
            <Csrf token={viewer.csrfToken} />
            <PackageFields values={values} errors={errors} categories={categories} />
            <button type="submit">Save</button>
          </form>
          {staff ? (
            <form method="post" action={`/packages/${encodeURIComponent(p.slug)}/delete/`} class="actions">
              <Csrf token={viewer.csrfToken} />
              <button type="submit" class="danger">
                Delete this package
              </button>
            </form>
          ) : null}
        </>
      );
      return sendHtml(req, reply, renderPage(req, { title: `Edit ${p.title}`, body }), Object.keys(errors).length ? 400 : 200);
    },
  });

  app.route<{ Params: { slug: string } }>({
    method: ['GET', 'POST'],
    url: '/packages/:slug/documentation/edit/',
    handler: async (req, reply) => {
      const viewer = requireViewer(req);
      const p = await packageOr404(req.params.slug);
      let values: Record<string, string> = { documentation_url: p.documentation_url ?? '' };
      let errors: FormErrors = {};
      if (req.method === 'POST') {
        values = formBody(req);
        const r = await attempt(() =>
          editPackage(db, refresh, viewer.id, p.id, { documentation_url: (values.documentation_url ?? '').trim() || null }),
        );
        if (!r) return redirectAfterPost(req, reply, `/packages/p/${encodeURIComponent(p.slug)}/`);
        errors = r;
      }
      const body = (
        <>
          <h1>Documentation of {p.title}</h1>
          <form method="post" action={`/packages/${encodeURIComponent(p.slug)}/documentation/edit/`}>
            <Csrf token={viewer.csrfToken} />
            <Field name="documentation_url" label="Documentation URL" errors={errors}>
              <TextInput name="documentation_url" type="url" values={values} errors={errors} maxLength={255} />
            </Field>
            <button type="submit">Save</button>
          </form>
        </>
      );
      return sendHtml(req, reply, renderPage(req, { title: `Documentation of ${p.title}`, body }), Object.keys(errors).length ? 400 : 200);
    },
  });

  app.post<{ Params: { slug: string } }>('/packages/:slug/fetch-data/', async (req, reply) => {
    requireViewer(req);
    const p = await packageOr404(req.params.slug);
    await refresh.requestRefresh([p.id], 'manual');
    return redirectAfterPost(req, reply, `/packages/p/${encodeURIComponent(p.slug)}/`);
  });

  app.post<{ Params: { slug: string } }>('/packages/:slug/delete/', async (req, reply) => {
    const viewer = requireStaff(req);
    const p = await packageOr404(req.params.slug);
    await deletePackage(db, viewer.id, p.id);
    return redirectAfterPost(req, reply, '/packages/');
  });

  app.post<{ Params: { slug: string } }>('/packages/:slug/favorite/', async (req, reply) => {
    const viewer = requireViewer(req);
    const p = await packageOr404(req.params.slug);
    const on = formBody(req).on !== '0';
    const count = await setFavourite(db, viewer.id, p.id, on);
    if (isHtmx(req)) return sendHtml(req, reply, renderFragment(<FavouriteButton slug={p.slug} on={on} viewer={viewer} count={count} />));
    return redirectAfterPost(req, reply, `/packages/p/${encodeURIComponent(p.slug)}/`);
  });

  app.post<{ Params: { slug: string } }>('/packages/usage/:slug/', async (req, reply) => {
    const viewer = requireViewer(req);
    const p = await packageOr404(req.params.slug);
    const on = formBody(req).on !== '0';
    const count = await setUsage(db, viewer.id, p.id, on);
    if (isHtmx(req)) return sendHtml(req, reply, renderFragment(<UsageButton slug={p.slug} on={on} viewer={viewer} count={count} />));
    return redirectAfterPost(req, reply, `/packages/p/${encodeURIComponent(p.slug)}/`);
  });

  app.route<{ Params: { slug: string } }>({
    method: ['GET', 'POST'],
    url: '/packages/:slug/flag/',
    handler: async (req, reply) => {
      const viewer = requireViewer(req);
      const p = await packageOr404(req.params.slug);
      let values: Record<string, string> = { reason: '' };
      let errors: FormErrors = {};
      if (req.method === 'POST') {
        values = formBody(req);
        const r = await attempt(() => flagPackage(db, viewer.id, p.id, values.reason ?? ''));
        if (!r) return redirectAfterPost(req, reply, `/packages/p/${encodeURIComponent(p.slug)}/`);
        errors = r;
      }
      const body = (
        <>
          <h1>Flag {p.title}</h1>
          <p>Tell the staff what is wrong: spam, a duplicate, a dead project, wrong data.</p>
          <form method="post" action={`/packages/${encodeURIComponent(p.slug)}/flag/`}>
            <Csrf token={viewer.csrfToken} />
            <Field name="reason" label="Reason" errors={errors}>
              <textarea id="f-reason" name="reason" required maxLength={2000}>
                {values.reason ?? ''}
              </textarea>
            </Field>
            <button type="submit">Send flag</button>
          </form>
        </>
      );
      return sendHtml(req, reply, renderPage(req, { title: `Flag ${p.title}`, body }), Object.keys(errors).length ? 400 : 200);
    },
  });

  async function exampleForm(req: FastifyRequest, reply: FastifyReply, slug: string, exampleId: number | null) {
    const viewer = requireViewer(req);
    const p = await packageOr404(slug);
    const actor = { id: viewer.id, staff: isStaffViewer(viewer) };
    let values: Record<string, string> = { title: '', url: '' };
    if (exampleId !== null) {
      const ex = await findExampleFields(db, exampleId);
      if (!ex || ex.package_id !== p.id) throw new NotFoundError('No such example.');
      values = { title: ex.title, url: ex.url };
    }
    let errors: FormErrors = {};
    if (req.method === 'POST') {
      values = formBody(req);
      const r = await attempt(async () => {
        if (exampleId === null) await addExample(db, actor, p.id, { title: values.title ?? '', url: values.url ?? '' });
        else await editExample(db, actor, exampleId, { title: values.title ?? '', url: values.url ?? '' });
      });
      if (!r) return redirectAfterPost(req, reply, `/packages/p/${encodeURIComponent(p.slug)}/`);
      errors = r;
    }
    const action =
      exampleId === null
        ? `/packages/${encodeURIComponent(p.slug)}/example/add/`
        : `/packages/${encodeURIComponent(p.slug)}/example/${exampleId}/edit/`;
    const body = (
      <>
        <h1>
          {exampleId === null ? 'Add a site using' : 'Edit a site using'} {p.title}
        </h1>
        <p class="muted">New and edited sites are shown once staff have reviewed them.</p>
        <form method="post" action={action}>
          <Csrf token={viewer.csrfToken} />
          <Field name="title" label="Site name" errors={errors}>
            <TextInput name="title" values={values} errors={errors} required maxLength={100} />
          </Field>
          <Field name="url" label="Site URL" errors={errors}>
            <TextInput name="url" type="url" values={values} errors={errors} required maxLength={255} />
          </Field>
          <button type="submit">Save</button>
        </form>
        {exampleId !== null ? (
          <form method="post" action={`/packages/${encodeURIComponent(p.slug)}/example/${exampleId}/delete/`} class="actions">
            <Csrf token={viewer.csrfToken} />
            <button type="submit" class="danger">
              Delete
            </button>
          </form>
        ) : null}
      </>
    );
    return sendHtml(req, reply, renderPage(req, { title: 'Sites using this package', body }), Object.keys(errors).length ? 400 : 200);
  }

  app.route<{ Params: { slug: string } }>({
    method: ['GET', 'POST'],
    url: '/packages/:slug/example/add/',
    handler: (req, reply) => exampleForm(req, reply, req.params.slug, null),
  });
  app.route<{ Params: { slug: string; id: string } }>({
    method: ['GET', 'POST'],
    url: '/packages/:slug/example/:id/edit/',
    handler: (req, reply) => {
      const id = idParam(req.params.id);
      if (id === null) throw new NotFoundError('No such example.');
      return exampleForm(req, reply, req.params.slug, id);
    },
  });
  app.post<{ Params: { slug: string; id: string } }>('/packages/:slug/example/:id/delete/', async (req, reply) => {
    const viewer = requireViewer(req);
    const id = idParam(req.params.id);
    if (id === null) throw new NotFoundError('No such example.');
    await deleteExample(db, { id: viewer.id, staff: isStaffViewer(viewer) }, id);
    return redirectAfterPost(req, reply, `/packages/p/${encodeURIComponent(req.params.slug)}/`);
  });
}
