import { sql, type Kysely } from 'kysely';

const GIN_INDEXES = [
  'search_documents_document_idx',
  'search_documents_title_trgm_idx',
  'search_documents_name_trgm_idx',
  'search_documents_slug_trgm_idx',
];

/**
 * Search speed. `names` holds only the title and slug words, so a prefix typed in the search box ("app") matches
 * names and not the category, description or participant words that put it in a quarter of all documents.
 * GIN pending lists are capped small: every query scans its index's whole pending list, and the 4 MB default
 * (thousands of entries after a bulk reindex) cost more than the index lookup itself.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE search_documents ADD COLUMN names tsvector NOT NULL DEFAULT ''::tsvector`.execute(db);
  await sql`UPDATE search_documents SET names = to_tsvector('simple', translate(title || ' ' || slug, '-_.', '   '))`.execute(db);
  await sql`CREATE INDEX search_documents_names_idx ON search_documents USING gin (names) WITH (gin_pending_list_limit = 256)`.execute(db);
  for (const name of GIN_INDEXES) await sql`ALTER INDEX ${sql.id(name)} SET (gin_pending_list_limit = 256)`.execute(db);
}

/** Drops the name vector and restores the default pending list size. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of GIN_INDEXES) await sql`ALTER INDEX ${sql.id(name)} RESET (gin_pending_list_limit)`.execute(db);
  await sql`ALTER TABLE search_documents DROP COLUMN IF EXISTS names`.execute(db);
}
