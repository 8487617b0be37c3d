import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/** Field errors of a rejected form ('__all__' for the form as a whole). */
export type FormErrors = Record<string, string[]>;

/** Runs a write; a validation-style AppError with fields (or a 4xx message) comes back as form errors instead of throwing. */
export async function attempt(fn: () => Promise<void>): Promise<FormErrors | null> {
  try {
    await fn();
    return null;
  } catch (e) {
    if (e instanceof AppError && e.status < 500 && e.status !== 401 && e.status !== 403 && e.status !== 404)
      return e.fields ?? { __all__: [e.message] };
    throw e;
  }
}

/** A 303 redirect after a successful POST (htmx follows HX-Redirect instead). */
export function redirectAfterPost(req: FastifyRequest, reply: FastifyReply, to: string): FastifyReply {
  if (req.headers['hx-request'] === 'true') return reply.header('hx-redirect', to).status(204).send();
  return reply.redirect(to, 303);
}

/** A positive int32 id from a route parameter, or null. */
export function idParam(raw: string): number | null {
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

/** Django's slugify, close enough for pre-filling: lowercase ascii words joined by hyphens. */
export function slugify(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[-\s_]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
}

/** Validates a slug field the way Django's SlugField does. */
/**
 * Reads a form's title (required, at most `max` characters) and slug (derived from the title when left empty, written
 * back into `values` so the form shows it), adding their errors to `errors`.
 */
export function readTitleAndSlug(values: Record<string, string>, errors: FormErrors, max: number): { title: string; slug: string } {
  const title = (values.title ?? '').trim();
  const slug = (values.slug ?? '').trim() || slugify(title);
  values.slug = slug;
  if (title === '') errors.title = ['This field is required.'];
  else if (title.length > max) errors.title = [`Ensure this value has at most ${max} characters.`];
  const se = slugError(slug) ?? (slug.length > max ? `Ensure this value has at most ${max} characters.` : null);
  if (se) errors.slug = [se];
  return { title, slug };
}

export function slugError(slug: string): string | null {
  if (slug === '') return 'This field is required.';
  if (!/^[-a-z0-9_]+$/.test(slug)) return 'Enter a valid "slug" consisting of lowercase letters, numbers, underscores or hyphens.';
  if (slug.length > 100) return 'Ensure this value has at most 100 characters.';
  return null;
}
