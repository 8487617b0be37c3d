import type { FastifyInstance } from 'fastify';
import type { Limiters } from '../endpoint.js';
import { categoryRoutes } from './categories.route.js';
import { gridRoutes } from './grids.route.js';
import { packageRoutes } from './packages.route.js';
import { rootRoutes } from './root.route.js';
import { searchRoutes } from './search.route.js';

/** One group of /api/v4/ routes; mounts itself with the shared endpoint helpers (src/api/endpoint.ts). */
export type V4Route = (app: FastifyInstance, limiters: Limiters) => void;

/**
 * Every /api/v4/ route group. The search engineer adds `searchRoutes` from ./search.route.ts here
 * (between packages and grids, the original router's order); nothing else needs to change.
 */
export const v4Routes: V4Route[] = [rootRoutes, packageRoutes, searchRoutes, gridRoutes, categoryRoutes];
