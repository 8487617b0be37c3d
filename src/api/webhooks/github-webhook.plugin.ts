// POST /webhooks/github: GitHub's push/release hooks queue a refresh of the matching package. The body is read
// raw so the X-Hub-Signature-256 HMAC is checked over exactly the bytes GitHub signed (the original does not check).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AppError, NotAuthenticatedError, PermissionDeniedError, ValidationError } from '../../errors.js';
import { findPackagesByRepoUrl } from '../../packages/package-metrics.service.js';

/** True when `signature` ("sha256=<hex>") is the HMAC-SHA256 of `body` under `secret` (constant-time compare). */
export function verifySignature(secret: string, body: Buffer, signature: string | undefined): boolean {
  if (signature === undefined || !signature.startsWith('sha256=')) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(body).digest('hex'), 'utf8');
  const given = Buffer.from(signature.slice('sha256='.length).toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function parsePayload(body: Buffer, contentType: string): Record<string, unknown> {
  let text = body.toString('utf8');
  // GitHub's "application/x-www-form-urlencoded" delivery wraps the JSON in a `payload` field.
  if (contentType.includes('application/x-www-form-urlencoded')) text = new URLSearchParams(text).get('payload') ?? '';
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ValidationError({ payload: ['Expected a JSON object.'] }, 'The webhook body is not a JSON object.');
}

/** Registers POST /webhooks/github. */
export async function githubWebhookPlugin(app: FastifyInstance): Promise<void> {
  // Scoped to this plugin: the raw bytes are needed for the signature; other routes keep the normal parsers.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 25 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.post('/webhooks/github', async (req, reply) => {
    const secret = app.ctx.config.githubWebhookSecret;
    if (secret === undefined) {
      throw new PermissionDeniedError(
        'Webhooks are disabled: set GITHUB_WEBHOOK_SECRET and use the same secret in the GitHub hook settings.',
      );
    }
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const sig = req.headers['x-hub-signature-256'];
    if (!verifySignature(secret, body, typeof sig === 'string' ? sig : undefined)) {
      throw new NotAuthenticatedError('Missing or invalid X-Hub-Signature-256.');
    }
    const event = String(req.headers['x-github-event'] ?? '');
    const payload = parsePayload(body, String(req.headers['content-type'] ?? ''));
    if (event === 'ping' || typeof payload.zen === 'string') {
      return reply.send({ zen: payload.zen ?? null, hook_id: payload.hook_id ?? null });
    }
    if (event !== 'push' && event !== 'release') return reply.status(202).send({ event, queued: [] });
    const repo = payload.repository;
    const htmlUrl = typeof repo === 'object' && repo !== null ? (repo as Record<string, unknown>).html_url : undefined;
    if (typeof htmlUrl !== 'string' || htmlUrl === '') throw new AppError(400, 'bad_payload', 'The payload has no repository.html_url.');
    const ids = await findPackagesByRepoUrl(app.ctx.db, htmlUrl);
    if (ids.length > 0) await app.ctx.refresh.requestRefresh(ids, `github webhook: ${event}`);
    return reply.status(202).send({ event, queued: ids });
  });
}
