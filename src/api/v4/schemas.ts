import { Type, type Static } from '@sinclair/typebox';
import { PATTERN_MESSAGE } from '../validate.js';

const SLUG = {
  pattern: '^[-a-zA-Z0-9_]+$',
  [PATTERN_MESSAGE]: 'Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.',
};
const HYPERLINK = (what: string) =>
  Type.Union([
    Type.String({ format: 'uri', description: `Hyperlink to the ${what} (…/api/v4/${what}s/{id}/)` }),
    Type.Integer({ description: `${what} id` }),
  ]);

/** The body of POST/PUT/PATCH /api/v4/packages/ (the fields the original's add form takes). */
export const PackageWriteSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 100 }),
    slug: Type.String({ minLength: 1, maxLength: 100, ...SLUG }),
    category: HYPERLINK('category'),
    repo_url: Type.Optional(Type.String({ maxLength: 255, description: 'Normalised to lowercase https://host/owner/repo' })),
    pypi_url: Type.Optional(Type.String({ maxLength: 255, description: 'A PyPI URL or a bare project name' })),
    documentation_url: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  },
  { $id: 'PackageWrite' },
);
/** A validated package body. */
export type PackageWrite = Static<typeof PackageWriteSchema>;

/** The body of POST/PUT/PATCH /api/v4/grids/. */
export const GridWriteSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 100 }),
    slug: Type.String({ minLength: 1, maxLength: 100, ...SLUG }),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    packages: Type.Optional(Type.Array(HYPERLINK('package'), { description: 'Replaces the package list' })),
  },
  { $id: 'GridWrite' },
);
/** A validated grid body. */
export type GridWrite = Static<typeof GridWriteSchema>;

/** The body of POST/PUT/PATCH /api/v4/categories/ (staff). */
export const CategoryWriteSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 50 }),
    slug: Type.String({ minLength: 1, maxLength: 50, ...SLUG }),
    description: Type.Optional(Type.String()),
    title_plural: Type.Optional(Type.String({ maxLength: 50 })),
    show_pypi: Type.Optional(Type.Boolean()),
  },
  { $id: 'CategoryWrite' },
);
/** A validated category body. */
export type CategoryWrite = Static<typeof CategoryWriteSchema>;

const DATETIME = Type.String({ format: 'date-time' });
const NULLABLE_DATETIME = Type.Union([DATETIME, Type.Null()]);

/** A package as API v4 returns it (field order is the serializer's). */
export const PackageSchema = Type.Object(
  {
    category: Type.String({ format: 'uri' }),
    grids: Type.Array(Type.String({ format: 'uri' })),
    id: Type.Integer(),
    title: Type.String(),
    slug: Type.String(),
    last_updated: NULLABLE_DATETIME,
    last_fetched: NULLABLE_DATETIME,
    repo_url: Type.String(),
    pypi_version: Type.Union([Type.String(), Type.Null()]),
    created: DATETIME,
    modified: DATETIME,
    repo_forks: Type.Integer(),
    repo_description: Type.String(),
    pypi_url: Type.String(),
    documentation_url: Type.Union([Type.String(), Type.Null()]),
    repo_watchers: Type.Integer(),
    commits_over_52: Type.Array(Type.Integer(), { description: '52 weekly commit counts, oldest first, or [] when unknown' }),
    participants: Type.Array(Type.String()),
  },
  { $id: 'Package' },
);

/** A grid as API v4 returns it. */
export const GridSchema = Type.Object(
  {
    id: Type.Integer(),
    title: Type.String(),
    slug: Type.String(),
    description: Type.String(),
    is_locked: Type.Boolean(),
    packages: Type.Array(Type.String({ format: 'uri' })),
    header: Type.Boolean(),
    created: DATETIME,
    modified: DATETIME,
  },
  { $id: 'Grid' },
);

/** A category as API v4 returns it. */
export const CategorySchema = Type.Object(
  {
    id: Type.Integer(),
    title: Type.String(),
    slug: Type.String(),
    description: Type.String(),
    title_plural: Type.String(),
    show_pypi: Type.Boolean(),
    created: DATETIME,
    modified: DATETIME,
  },
  { $id: 'Category' },
);
