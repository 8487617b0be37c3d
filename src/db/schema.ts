import type { ColumnType, Generated } from 'kysely';

/** A timestamptz column: read as the exact database string, written as an ISO string or left to its default. */
export type Timestamp = ColumnType<string, string | undefined, string>;
/** A nullable timestamptz column. */
export type NullableTimestamp = ColumnType<string | null, string | null | undefined, string | null>;
type Json = ColumnType<unknown, string | undefined, string>;
type Def<T> = ColumnType<T, T | undefined, T>;

export interface UsersTable {
  id: Generated<number>;
  username: string;
  email: Def<string>;
  first_name: Def<string>;
  last_name: Def<string>;
  is_staff: Def<boolean>;
  is_superuser: Def<boolean>;
  is_active: Def<boolean>;
  date_joined: Timestamp;
  last_login: NullableTimestamp;
  github_id: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  github_account: Def<string>;
  github_url: Def<string>;
  bitbucket_url: Def<string>;
  gitlab_url: Def<string>;
  share_favorites: Def<boolean>;
  created: Timestamp;
  modified: Timestamp;
}

export interface ProfileExtraFieldsTable {
  id: Generated<number>;
  user_id: number;
  label: string;
  url: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: Def<string>;
  key_hash: string;
  key_prefix: string;
  created: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface SessionsTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created: Timestamp;
  expires_at: string;
}

export interface CategoriesTable {
  id: Generated<number>;
  title: string;
  slug: string;
  description: Def<string>;
  title_plural: Def<string>;
  show_pypi: Def<boolean>;
  created: Timestamp;
  modified: Timestamp;
}

export interface PackagesTable {
  id: Generated<number>;
  title: string;
  slug: string;
  category_id: number;
  repo_description: Def<string>;
  repo_url: Def<string>;
  repo_host: Def<string>;
  repo_watchers: Def<number>;
  repo_forks: Def<number>;
  pypi_url: Def<string>;
  pypi_downloads: Def<number>;
  pypi_classifiers: Def<string[] | null>;
  pypi_info: Json;
  pypi_license: Def<string | null>;
  pypi_licenses: Def<string[] | null>;
  pypi_requires_python: Def<string | null>;
  markers: Def<string[] | null>;
  supports_python3: Def<boolean | null>;
  participants: Def<string[]>;
  favorite_count: Def<number>;
  usage_count: Def<number>;
  created_by_id: Def<number | null>;
  last_modified_by_id: Def<number | null>;
  last_fetched: NullableTimestamp;
  documentation_url: Def<string | null>;
  score: Def<number>;
  search_weight: Def<number>;
  date_deprecated: NullableTimestamp;
  date_repo_archived: NullableTimestamp;
  deprecated_by_id: Def<number | null>;
  deprecates_package_id: Def<number | null>;
  last_error: Def<string | null>;
  last_error_at: NullableTimestamp;
  error_count: Def<number>;
  repo_missing_count: Def<number>;
  repo_missing_since: NullableTimestamp;
  pypi_error: Def<string | null>;
  fetch_state: ColumnType<Record<string, unknown>, string | undefined, string>;
  fetch_requested_at: NullableTimestamp;
  fetch_claimed_until: NullableTimestamp;
  fetch_retry_at: NullableTimestamp;
  commit_count: Def<number>;
  commits_over_52: Def<number[]>;
  last_commit_date: NullableTimestamp;
  latest_version_id: Def<number | null>;
  created: Timestamp;
  modified: Timestamp;
}

export interface VersionsTable {
  id: Generated<number>;
  package_id: number;
  number: string;
  downloads: Def<number>;
  license: Def<string | null>;
  licenses: Def<string[] | null>;
  hidden: Def<boolean>;
  upload_time: NullableTimestamp;
  development_status: Def<number>;
  supports_python3: Def<boolean>;
  created: Timestamp;
  modified: Timestamp;
}

export interface PackageExamplesTable {
  id: Generated<number>;
  package_id: number;
  title: string;
  url: string;
  active: Def<boolean | null>;
  created_by_id: Def<number | null>;
  created: Timestamp;
  modified: Timestamp;
}

export interface FlaggedPackagesTable {
  id: Generated<number>;
  package_id: number;
  user_id: number;
  reason: string;
  approved_flag: Def<boolean>;
  created: Timestamp;
  modified: Timestamp;
}

export interface GridsTable {
  id: Generated<number>;
  title: string;
  slug: string;
  description: Def<string>;
  is_locked: Def<boolean>;
  header: Def<boolean>;
  created: Timestamp;
  modified: Timestamp;
}

export interface GridPackagesTable {
  id: Generated<number>;
  grid_id: number;
  package_id: number;
  created: Timestamp;
  modified: Timestamp;
}

export interface FeaturesTable {
  id: Generated<number>;
  grid_id: number;
  title: string;
  description: Def<string>;
  created: Timestamp;
  modified: Timestamp;
}

export interface ElementsTable {
  id: Generated<number>;
  grid_package_id: number;
  feature_id: number;
  text: Def<string>;
  created: Timestamp;
  modified: Timestamp;
}

export interface FavoritesTable {
  id: Generated<number>;
  user_id: number;
  package_id: number;
  created: Timestamp;
  modified: Timestamp;
}

export interface UsagesTable {
  package_id: number;
  user_id: number;
  created: Timestamp;
}

export interface EditHistoryTable {
  id: Generated<number>;
  entity_type: string;
  entity_id: number;
  package_id: Def<number | null>;
  grid_id: Def<number | null>;
  user_id: Def<number | null>;
  action: string;
  changes: Json;
  created: Timestamp;
}

export interface PackageSnapshotsTable {
  package_id: number;
  day: string;
  stars: number;
  forks: number;
  commits: number;
  downloads: number;
  score: number;
}

export interface AppMetaTable {
  key: string;
  value: string;
  modified: Timestamp;
}

/** The vocabulary of the search index, for spelling corrections: a word and how many documents hold it. */
export interface SearchTermsTable {
  term: string;
  ndoc: Generated<number>;
}

/** Searches that found nothing: the cleaned query, how often, first and last time (no address or user). */
export interface SearchMissesTable {
  query: string;
  count: Generated<number>;
  first_seen: Timestamp;
  last_seen: Timestamp;
}

export interface SearchDocumentsTable {
  id: Generated<number>;
  item_type: 'package' | 'grid';
  item_id: number;
  title: string;
  slug: string;
  name_no_prefix: string;
  description: Def<string>;
  category: Def<string | null>;
  category_slug: Def<string | null>;
  weight: Def<number>;
  repo_watchers: Def<number>;
  repo_forks: Def<number>;
  pypi_downloads: Def<number>;
  score: Def<number>;
  usage: Def<number>;
  participants: Def<string>;
  supports_python3: Def<boolean | null>;
  is_active: Def<boolean>;
  pypi_version: Def<string | null>;
  last_committed: NullableTimestamp;
  last_released: NullableTimestamp;
  created: Timestamp;
  modified: Timestamp;
  document: string;
  names: Def<string>;
}

/** Every table packgrid owns; later migrations add their tables here too. */
export interface Database {
  users: UsersTable;
  profile_extra_fields: ProfileExtraFieldsTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  categories: CategoriesTable;
  packages: PackagesTable;
  versions: VersionsTable;
  package_examples: PackageExamplesTable;
  flagged_packages: FlaggedPackagesTable;
  grids: GridsTable;
  grid_packages: GridPackagesTable;
  features: FeaturesTable;
  elements: ElementsTable;
  favorites: FavoritesTable;
  usages: UsagesTable;
  edit_history: EditHistoryTable;
  package_snapshots: PackageSnapshotsTable;
  app_meta: AppMetaTable;
  search_documents: SearchDocumentsTable;
  search_terms: SearchTermsTable;
  search_misses: SearchMissesTable;
}
