import type { FastifyInstance } from 'fastify';
import { formatTimestamp } from '../../lib/datetime.js';
import { search } from '../../search/search.service.js';
import { hitPath, type SearchHit } from '../../search/search.js';
import { mountSingle, type Endpoint, type Limiters } from '../endpoint.js';

/** At most this many results, and no pagination: the original's search endpoint returns a bare array. */
const SEARCH_LIMIT = 20;

/** One search item in SearchV3Serializer's field order (declared fields first, then the model's). */
export function searchItem(hit: SearchHit, timeZone: string): Record<string, unknown> {
  return {
    description: hit.description,
    title: hit.title,
    title_no_prefix: hit.title,
    slug_no_prefix: hit.slug,
    clean_title: hit.title,
    absolute_url: hitPath(hit),
    created: formatTimestamp(hit.created, timeZone),
    modified: formatTimestamp(hit.modified, timeZone),
    weight: hit.weight,
    item_type: hit.itemType,
    slug: hit.slug,
    category: hit.category ?? '',
    repo_watchers: hit.repoWatchers,
    repo_forks: hit.repoForks,
    pypi_downloads: hit.pypiDownloads,
    score: hit.score,
    usage: hit.usage,
    participants: hit.participants,
    last_committed: formatTimestamp(hit.lastCommitted, timeZone),
    last_released: formatTimestamp(hit.lastReleased, timeZone),
  };
}

function queryParam(query: unknown): string {
  const q = (query as Record<string, unknown> | null)?.q;
  // Repeated ?q= arrives as an array; Django reads the last value.
  if (Array.isArray(q)) return typeof q[q.length - 1] === 'string' ? (q[q.length - 1] as string) : '';
  return typeof q === 'string' ? q : '';
}

const list: Endpoint = {
  view: { name: 'Search V3 List', description: "Accepts a 'q' GET parameter. Returns SearchV3 (PostgreSQL FTS) results." },
  async read(c) {
    const { config, db } = c.req.server.ctx;
    const page = await search(db, queryParam(c.req.query), { limit: SEARCH_LIMIT });
    return { status: 200, value: page.hits.map((h) => searchItem(h, config.timeZone)) };
  },
};

/** Mounts GET /api/v4/search/?q= . */
export function searchRoutes(app: FastifyInstance, limiters: Limiters): void {
  mountSingle(app, '/api/v4/search/', list, limiters);
}
