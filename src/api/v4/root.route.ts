import type { FastifyInstance } from 'fastify';
import { mountSingle, type Endpoint, type Limiters } from '../endpoint.js';
import { apiV4Base } from '../links.js';

const root: Endpoint = {
  view: { name: 'Api Root', description: 'The default basic root view for DefaultRouter' },
  async read(c) {
    const base = apiV4Base(c.req);
    // The original router's registration order.
    const value = { packages: `${base}/packages/`, search: `${base}/search/`, grids: `${base}/grids/`, categories: `${base}/categories/` };
    return { status: 200, value };
  },
};

/** Mounts GET /api/v4/ (the router's API root). */
export function rootRoutes(app: FastifyInstance, limiters: Limiters): void {
  mountSingle(app, '/api/v4/', root, limiters);
}
