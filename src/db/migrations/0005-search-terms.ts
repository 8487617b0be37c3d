import { sql, type Kysely } from 'kysely';

// The forms below are those src/search writes for every document from now on (a migration keeps its own copy).
const GLUED = sql`translate(lower(slug), '-_.', '')`;
const INITIALS = sql`CASE WHEN lower(slug) ~ '^[a-z]+([-_.][a-z]+){2,}$'
  THEN regexp_replace(lower(slug), '([a-z])[a-z]*[-_.]?', ${'\\1'}, 'g') ELSE '' END`;
const TERMS_OF = `SELECT to_tsvector('simple', title || ' ' || slug || ' ' || description || ' ' || coalesce(category, '')) FROM search_documents`;

/**
 * Spelling corrections and name forms.
 * `search_terms` is the vocabulary of the index (title, slug, description and category words, 4 to 40 characters,
 * with how many documents hold each): a misspelt query word is matched against these few thousand short words
 * (trigrams) and searched as the closest one, so a typo in any word is found, not only in a name.
 * Names also get the forms people type for them: the slug glued (`djangorestframework`, as on PyPI) and, for names of
 * three or more words, their initials (`drf`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE search_terms (term varchar(40) PRIMARY KEY, ndoc integer NOT NULL DEFAULT 1)`.execute(db);
  await sql`CREATE INDEX search_terms_trgm_idx ON search_terms USING gin (term gin_trgm_ops) WITH (fastupdate = off)`.execute(db);
  await sql`INSERT INTO search_terms (term, ndoc)
    SELECT word, ndoc FROM ts_stat(${TERMS_OF}) WHERE word ~ '^[[:alpha:]][[:alnum:]]{3,39}$'`.execute(db);
  await sql`UPDATE search_documents SET
    names = names || to_tsvector('simple', ${GLUED} || ' ' || ${INITIALS}),
    document = document || setweight(to_tsvector('simple', ${GLUED} || ' ' || ${INITIALS}), 'B')`.execute(db);
}

/** Drops the vocabulary (name forms stay in the documents until the next reindex). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS search_terms`.execute(db);
}
