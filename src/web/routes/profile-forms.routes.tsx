import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../errors.js';
import { Csrf, Field, FormErrors as ErrorSummary, TextInput } from '../components.js';
import { idParam, redirectAfterPost, type FormErrors } from '../forms.js';
import { renderPage, sendHtml } from '../layout.js';
import { formBody } from '../params.js';
import { deleteExtraField, findProfileFields, insertExtraField, updateProfileFields } from '../profile.repository.js';
import { profileLinks } from '../site.repository.js';
import { requireViewer } from '../viewer.js';

const ACCOUNT = /^[A-Za-z0-9_.-]{0,100}$/;

/** Registers the profile editor (host accounts, favourites sharing) and extra links. */
export function registerProfileFormRoutes(app: FastifyInstance): void {
  const { db } = app.ctx;

  app.route({
    method: ['GET', 'POST'],
    url: '/profiles/edit/',
    handler: async (req, reply) => {
      const viewer = requireViewer(req);
      const current = await findProfileFields(db, viewer.id);
      if (!current) throw new NotFoundError('No such profile.');
      let values: Record<string, string> = {
        gitlab_url: current.gitlab_url,
        bitbucket_url: current.bitbucket_url,
        share_favorites: current.share_favorites ? '1' : '',
      };
      let extra: Record<string, string> = { label: '', url: '' };
      const errors: FormErrors = {};
      if (req.method === 'POST') {
        const b = formBody(req);
        if (b.form === 'extra') {
          extra = { label: (b.label ?? '').trim(), url: (b.url ?? '').trim() };
          if (extra.label === '' || (extra.label ?? '').length > 256) errors.label = ['Give the link a label (at most 256 characters).'];
          if (!/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(extra.url ?? '') || (extra.url ?? '').length > 256)
            errors.url = ['Enter a valid http(s) URL.'];
          if (Object.keys(errors).length === 0) {
            await insertExtraField(db, viewer.id, extra.label ?? '', extra.url ?? '');
            return redirectAfterPost(req, reply, '/profiles/edit/');
          }
        } else {
          values = {
            gitlab_url: (b.gitlab_url ?? '').trim(),
            bitbucket_url: (b.bitbucket_url ?? '').trim(),
            share_favorites: b.share_favorites ? '1' : '',
          };
          for (const k of ['gitlab_url', 'bitbucket_url'] as const)
            if (!ACCOUNT.test(values[k] ?? '')) errors[k] = ['Enter the account name only (letters, numbers, . _ -).'];
          if (Object.keys(errors).length === 0) {
            await updateProfileFields(db, viewer.id, {
              gitlab_url: values.gitlab_url ?? '',
              bitbucket_url: values.bitbucket_url ?? '',
              share_favorites: values.share_favorites === '1',
            });
            return redirectAfterPost(req, reply, `/profiles/${encodeURIComponent(viewer.username)}/`);
          }
        }
      }
      const links = await profileLinks(db, viewer.id);
      const body = (
        <>
          <h1>Edit your profile</h1>
          <form method="post" action="/profiles/edit/">
            <ErrorSummary errors={errors.label || errors.url ? {} : errors} />
            <Csrf token={viewer.csrfToken} />
            <input type="hidden" name="form" value="profile" />
            <Field name="gitlab_url" label="GitLab account" errors={errors}>
              <TextInput name="gitlab_url" values={values} errors={errors} maxLength={100} />
            </Field>
            <Field name="bitbucket_url" label="Bitbucket account" errors={errors}>
              <TextInput name="bitbucket_url" values={values} errors={errors} maxLength={100} />
            </Field>
            <div class="field">
              <label>
                <input type="checkbox" name="share_favorites" value="1" checked={values.share_favorites === '1'} /> Show my favourites on my
                profile
              </label>
            </div>
            <button type="submit">Save</button>
          </form>
          <h2>Extra links</h2>
          <ul class="plain">
            {links.map((l) => (
              <li key={l.id}>
                {l.label}: {l.url}{' '}
                <form method="post" action={`/profiles/extra-field/${l.id}/delete/`} class="inline">
                  <Csrf token={viewer.csrfToken} />
                  <button type="submit" class="secondary" aria-label={`Remove ${l.label}`}>
                    Remove
                  </button>
                </form>
              </li>
            ))}
          </ul>
          <form method="post" action="/profiles/edit/">
            <Csrf token={viewer.csrfToken} />
            <input type="hidden" name="form" value="extra" />
            <Field name="label" label="Label" errors={errors}>
              <TextInput name="label" values={extra} errors={errors} maxLength={256} />
            </Field>
            <Field name="url" label="URL" errors={errors}>
              <TextInput name="url" type="url" values={extra} errors={errors} maxLength={256} />
            </Field>
            <button type="submit">Add link</button>
          </form>
        </>
      );
      return sendHtml(req, reply, renderPage(req, { title: 'Edit your profile', body }), Object.keys(errors).length ? 400 : 200);
    },
  });

  app.post<{ Params: { id: string } }>('/profiles/extra-field/:id/delete/', async (req, reply) => {
    const viewer = requireViewer(req);
    const id = idParam(req.params.id);
    if (id === null || !(await deleteExtraField(db, viewer.id, id))) throw new NotFoundError('No such link.');
    return redirectAfterPost(req, reply, '/profiles/edit/');
  });
}
