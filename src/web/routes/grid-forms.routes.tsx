import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../errors.js';
import {
  addFeature,
  addPackageToGrid,
  deleteFeature,
  editFeature,
  findPackagesForGrid,
  getCell,
  getFeature,
  removePackageFromGrid,
  setCell,
} from '../../grids/grid-content.service.js';
import { findGridPage, findGridPageById, type GridPageGrid } from '../../grids/grid-page.repository.js';
import { createGrid, editGrid } from '../../grids/grid.service.js';
import { renderCellHtml } from '../cell-markup.js';
import { Csrf, Field, FormErrors as ErrorSummary, TextInput } from '../components.js';
import { attempt, idParam, readTitleAndSlug, redirectAfterPost, type FormErrors } from '../forms.js';
import { isHtmx, renderFragment, renderPage, sendHtml } from '../layout.js';
import { cellEditBase, cellId, editableCellHtml } from '../pages/grid-table-html.js';
import { formBody, qs } from '../params.js';
import { isStaffViewer, requireStaff, requireViewer } from '../viewer.js';

/** Registers the signed-in grid forms: grids, features, grid packages and in-place cell edits. */
export function registerGridFormRoutes(app: FastifyInstance): void {
  const { db } = app.ctx;

  async function gridOr404(slug: string): Promise<GridPageGrid> {
    const g = await findGridPage(db, slug);
    if (!g) throw new NotFoundError('No such grid.');
    return g;
  }
  const gridUrl = (g: { slug: string }) => `/grids/g/${encodeURIComponent(g.slug)}/`;

  async function gridForm(req: FastifyRequest, reply: FastifyReply, existing: GridPageGrid | null) {
    const viewer = requireViewer(req);
    let values: Record<string, string> = existing
      ? { title: existing.title, slug: existing.slug, description: existing.description }
      : { title: '', slug: '', description: '' };
    let errors: FormErrors = {};
    if (req.method === 'POST') {
      values = formBody(req);
      const { title, slug } = readTitleAndSlug(values, errors, 100);
      const description = (values.description ?? '').trim();
      if (description.length > 1000) errors.description = ['Ensure this value has at most 1000 characters.'];
      if (Object.keys(errors).length === 0) {
        const r = await attempt(async () => {
          if (existing) await editGrid(db, viewer.id, existing.id, { title, slug, description });
          else await createGrid(db, viewer.id, { title, slug, description });
        });
        if (!r) return redirectAfterPost(req, reply, gridUrl({ slug }));
        errors = r;
      }
    }
    const action = existing ? `/grids/${encodeURIComponent(existing.slug)}/edit/` : '/grids/add/';
    const body = (
      <>
        <h1>{existing ? `Edit ${existing.title}` : 'Add a grid'}</h1>
        <form method="post" action={action}>
          <ErrorSummary errors={errors} />
          <Csrf token={viewer.csrfToken} />
          <Field name="title" label="Title" errors={errors}>
            <TextInput name="title" values={values} errors={errors} required maxLength={100} />
          </Field>
          <Field name="slug" label="Slug" errors={errors} help="Leave empty to derive it from the title.">
            <TextInput name="slug" values={values} errors={errors} maxLength={100} />
          </Field>
          <Field name="description" label="Description" errors={errors}>
            <textarea id="f-description" name="description" maxLength={1000}>
              {values.description ?? ''}
            </textarea>
          </Field>
          <button type="submit">Save</button>
        </form>
      </>
    );
    return sendHtml(
      req,
      reply,
      renderPage(req, { title: existing ? `Edit ${existing.title}` : 'Add a grid', body }),
      Object.keys(errors).length ? 400 : 200,
    );
  }

  app.route({ method: ['GET', 'POST'], url: '/grids/add/', handler: (req, reply) => gridForm(req, reply, null) });
  app.route<{ Params: { slug: string } }>({
    method: ['GET', 'POST'],
    url: '/grids/:slug/edit/',
    handler: async (req, reply) => {
      requireViewer(req);
      return gridForm(req, reply, await gridOr404(req.params.slug));
    },
  });

  async function featureForm(req: FastifyRequest, reply: FastifyReply, grid: GridPageGrid, featureId: number | null) {
    const viewer = requireViewer(req);
    const actor = { id: viewer.id, staff: isStaffViewer(viewer) };
    let values: Record<string, string> = { title: '', description: '' };
    if (featureId !== null) {
      const f = await getFeature(db, featureId);
      values = { title: f.title, description: f.description };
    }
    let errors: FormErrors = {};
    if (req.method === 'POST') {
      values = formBody(req);
      const input = { title: values.title ?? '', description: values.description ?? '' };
      const r = await attempt(async () => {
        if (featureId === null) await addFeature(db, actor, grid.id, input);
        else await editFeature(db, actor, featureId, input);
      });
      if (!r) return redirectAfterPost(req, reply, gridUrl(grid));
      errors = r;
    }
    const action = featureId === null ? `/grids/feature/add/${encodeURIComponent(grid.slug)}/` : `/grids/feature/${featureId}/`;
    const body = (
      <>
        <h1>
          {featureId === null ? 'Add a feature to' : 'Edit a feature of'} <a href={gridUrl(grid)}>{grid.title}</a>
        </h1>
        <form method="post" action={action}>
          <ErrorSummary errors={errors} />
          <Csrf token={viewer.csrfToken} />
          <Field name="title" label="Feature" errors={errors}>
            <TextInput name="title" values={values} errors={errors} required maxLength={100} />
          </Field>
          <Field name="description" label="Description" errors={errors}>
            <textarea id="f-description" name="description" maxLength={1000}>
              {values.description ?? ''}
            </textarea>
          </Field>
          <button type="submit">Save</button>
        </form>
        {featureId !== null && actor.staff ? (
          <form method="post" action={`/grids/feature/${featureId}/delete/`} class="actions">
            <Csrf token={viewer.csrfToken} />
            <button type="submit" class="danger">
              Delete this feature and its cells
            </button>
          </form>
        ) : null}
      </>
    );
    return sendHtml(req, reply, renderPage(req, { title: 'Feature', body }), Object.keys(errors).length ? 400 : 200);
  }

  app.route<{ Params: { slug: string } }>({
    method: ['GET', 'POST'],
    url: '/grids/feature/add/:slug/',
    handler: async (req, reply) => {
      requireViewer(req);
      return featureForm(req, reply, await gridOr404(req.params.slug), null);
    },
  });
  app.route<{ Params: { id: string } }>({
    method: ['GET', 'POST'],
    url: '/grids/feature/:id/',
    handler: async (req, reply) => {
      requireViewer(req);
      const id = idParam(req.params.id);
      if (id === null) throw new NotFoundError('No such feature.');
      const f = await getFeature(db, id);
      return featureForm(req, reply, await findGridById(f.grid_id), id);
    },
  });
  async function findGridById(id: number): Promise<GridPageGrid> {
    const g = await findGridPageById(db, id);
    if (!g) throw new NotFoundError('No such grid.');
    return g;
  }
  app.post<{ Params: { id: string } }>('/grids/feature/:id/delete/', async (req, reply) => {
    const viewer = requireStaff(req);
    const id = idParam(req.params.id);
    if (id === null) throw new NotFoundError('No such feature.');
    const f = await deleteFeature(db, { id: viewer.id, staff: true }, id);
    return redirectAfterPost(req, reply, gridUrl(await findGridById(f.grid_id)));
  });

  app.route<{ Params: { slug: string } }>({
    method: ['GET', 'POST'],
    url: '/grids/:slug/package/add/',
    handler: async (req, reply) => {
      const viewer = requireViewer(req);
      const grid = await gridOr404(req.params.slug);
      let errors: FormErrors = {};
      if (req.method === 'POST') {
        const id = idParam(formBody(req).package_id ?? '');
        const r =
          id === null
            ? { package: ['Pick a package.'] }
            : await attempt(() => addPackageToGrid(db, { id: viewer.id, staff: isStaffViewer(viewer) }, grid.id, id));
        if (!r) return redirectAfterPost(req, reply, gridUrl(grid));
        errors = r;
      }
      const q = qs(req, 'q', 100);
      const found = await findPackagesForGrid(db, grid.id, q);
      const action = `/grids/${encodeURIComponent(grid.slug)}/package/add/`;
      const body = (
        <>
          <h1>
            Add a package to <a href={gridUrl(grid)}>{grid.title}</a>
          </h1>
          <ErrorSummary errors={errors} />
          {errors.package ? <p class="field-error">{errors.package.join(' ')}</p> : null}
          <form method="get" action={action} class="toolbar">
            <label>
              Find a package by name or repository URL
              <input type="search" name="q" value={q} minLength={2} />
            </label>
            <button type="submit">Search</button>
          </form>
          {q.length >= 2 && found.length === 0 ? (
            <p>
              Nothing found. <a href={`/packages/add/?grid_slug=${encodeURIComponent(grid.slug)}`}>Add a new package</a> instead.
            </p>
          ) : null}
          <ul class="plain">
            {found.map((p) => (
              <li key={p.id}>
                <form method="post" action={action} class="inline">
                  <Csrf token={viewer.csrfToken} />
                  <input type="hidden" name="package_id" value={String(p.id)} />
                  <button type="submit" class="secondary" aria-label={`Add ${p.title}`}>
                    Add
                  </button>
                </form>{' '}
                {p.title} <span class="muted">★ {p.repo_watchers}</span>
              </li>
            ))}
          </ul>
        </>
      );
      return sendHtml(
        req,
        reply,
        renderPage(req, { title: `Add a package to ${grid.title}`, body }),
        Object.keys(errors).length ? 400 : 200,
      );
    },
  });

  app.post<{ Params: { slug: string; packageId: string } }>('/grids/package/:slug/:packageId/delete/', async (req, reply) => {
    const viewer = requireStaff(req);
    const grid = await gridOr404(req.params.slug);
    const pid = idParam(req.params.packageId);
    if (pid === null) throw new NotFoundError('No such package.');
    await removePackageFromGrid(db, { id: viewer.id, staff: true }, grid.id, pid);
    return redirectAfterPost(req, reply, gridUrl(grid));
  });

  app.route<{ Params: { slug: string; packageId: string; featureId: string } }>({
    method: ['GET', 'POST'],
    url: '/grids/element/:slug/:packageId/:featureId/',
    handler: async (req, reply) => {
      const viewer = requireViewer(req);
      const grid = await gridOr404(req.params.slug);
      const packageId = idParam(req.params.packageId);
      const featureId = idParam(req.params.featureId);
      if (packageId === null || featureId === null) throw new NotFoundError('No such cell.');
      const cell = await getCell(db, grid.id, packageId, featureId);
      let text = cell.text;
      let errors: FormErrors = {};
      if (req.method === 'POST') {
        text = formBody(req).text ?? '';
        const r = await attempt(
          async () => void (text = await setCell(db, { id: viewer.id, staff: isStaffViewer(viewer) }, grid.id, packageId, featureId, text)),
        );
        if (!r) {
          if (isHtmx(req)) return sendHtml(req, reply, editableCellHtml(renderCellHtml(text), packageId, featureId));
          return redirectAfterPost(req, reply, gridUrl(grid));
        }
        errors = r;
      }
      const url = `${cellEditBase(grid.slug)}${packageId}/${featureId}/`;
      const form = (
        <form method="post" action={url} hx-post={url} hx-target={`#${cellId(packageId, featureId)}`} hx-swap="outerHTML">
          <Csrf token={viewer.csrfToken} />
          <label for={`t-${packageId}-${featureId}`}>{cell.feature.title}</label>
          <textarea id={`t-${packageId}-${featureId}`} name="text" maxLength={1000} rows={3}>
            {text}
          </textarea>
          {(errors.text ?? errors.__all__ ?? []).map((e) => (
            <div class="field-error" role="alert">
              {e}
            </div>
          ))}
          <button type="submit">Save</button>{' '}
          <a href={gridUrl(grid)} class="muted">
            Cancel
          </a>
        </form>
      );
      const status = Object.keys(errors).length ? 400 : 200;
      if (isHtmx(req))
        return sendHtml(req, reply, renderFragment(<td id={cellId(packageId, featureId)}>{form}</td>), status === 400 ? 200 : status);
      return sendHtml(
        req,
        reply,
        renderPage(req, {
          title: `Edit cell of ${grid.title}`,
          body: (
            <>
              <h1>
                Edit a cell of <a href={gridUrl(grid)}>{grid.title}</a>
              </h1>
              {form}
            </>
          ),
        }),
        status,
      );
    },
  });
}
