import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db/index.js';

type Q = Db | Transaction<Database>;

/** The columns the score is computed from. */
export interface ScoreInputRow {
  id: number;
  repo_watchers: number;
  last_commit_date: string | null;
  supports_python3: boolean | null;
}

/** Score inputs for the given packages (all when `ids` is omitted), in id-ordered batches. */
export async function* loadScoreInputs(db: Q, ids?: readonly number[], batch = 1000): AsyncGenerator<ScoreInputRow[]> {
  if (ids && ids.length === 0) return;
  let after = -1;
  for (;;) {
    let q = db
      .selectFrom('packages')
      .select(['id', 'repo_watchers', 'last_commit_date', 'supports_python3'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(batch);
    if (ids) q = q.where('id', 'in', [...ids]);
    const rows = await q.execute();
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]?.id ?? after;
  }
}

/** Stores computed scores, one UPDATE for the batch; rows whose score is unchanged are not touched. */
export async function storeScores(db: Q, values: readonly { id: number; score: number }[]): Promise<void> {
  if (values.length === 0) return;
  const rows = sql.join(values.map((v) => sql`(${v.id}::int, ${v.score}::int)`));
  await sql`
    UPDATE packages p SET score = v.score
    FROM (VALUES ${rows}) AS v(id, score)
    WHERE p.id = v.id AND p.score IS DISTINCT FROM v.score`.execute(db);
}
