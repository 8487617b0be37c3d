// Batched GitHub GraphQL: the cheap fields of many repositories in one query, via aliases r0..rN.
//
// Batch size: 50 repositories per query (DEFAULT_GITHUB_BATCH_SIZE). The fragment has no connection with
// first/last, so the node count stays far below GitHub's 500,000-node limit (about 3 nodes per repo) and the
// point cost is the minimum of 1 per query (cost = requested connections / 100, rounded up, at least 1);
// `history { totalCount }` is the expensive part server side, and GitHub aborts queries that run past 10 s,
// which is what bounds the batch in practice. Peers report 25-50 aliases per query working reliably
// (reference peers.md (c) 3); 50 gives 0.02 requests/package. We could not measure against the real API
// from this sandbox (tests never reach the internet), so the number is configurable (githubBatchSize) and a
// failed batch is reported per repo as a retryable error, never as data.
import { asObject, bool, num, str, strOrNull } from '../common.js';
import type { Json } from '../common.js';

/** Default repositories per GraphQL query; see the file comment for why. */
export const DEFAULT_GITHUB_BATCH_SIZE = 50;

/** Cheap per-repo fields, whichever API (GraphQL or REST) produced them. */
export interface GithubCheap {
  stars: number;
  forks: number;
  description: string;
  archived: boolean;
  nameWithOwner: string;
  /** Default-branch head; null for an empty repository. */
  sha: string | null;
  committedDate: string | null;
  commitCount: number | null;
}

const FRAGMENT = `fragment F on Repository {
  stargazerCount forkCount description isArchived nameWithOwner
  defaultBranchRef { target { ... on Commit { oid committedDate history { totalCount } } } }
}`;

/** Builds the batched query and its variables for owner/name pairs (variables avoid any escaping issue). */
export function buildBatchQuery(repos: readonly { owner: string; name: string }[]): { query: string; variables: Record<string, string> } {
  const params: string[] = [];
  const fields: string[] = [];
  const variables: Record<string, string> = {};
  repos.forEach((r, i) => {
    params.push(`$o${i}: String!`, `$n${i}: String!`);
    fields.push(`r${i}: repository(owner: $o${i}, name: $n${i}) { ...F }`);
    variables[`o${i}`] = r.owner;
    variables[`n${i}`] = r.name;
  });
  const query = `query(${params.join(', ')}) {\n  rateLimit { cost remaining resetAt }\n  ${fields.join('\n  ')}\n}\n${FRAGMENT}`;
  return { query, variables };
}

export type BatchEntry = { kind: 'repo'; cheap: GithubCheap } | { kind: 'not_found' } | { kind: 'error'; reason: string };

export interface BatchAnswer {
  entries: BatchEntry[];
  rateLimited: boolean;
  remaining: number | null;
  resetAt: string | null;
}

function parseRepo(node: Json): GithubCheap {
  const target = asObject(asObject(asObject(node.defaultBranchRef)?.target));
  const history = asObject(target?.history);
  return {
    stars: num(node, 'stargazerCount'),
    forks: num(node, 'forkCount'),
    description: str(node, 'description'),
    archived: bool(node, 'isArchived'),
    nameWithOwner: str(node, 'nameWithOwner'),
    sha: strOrNull(target, 'oid'),
    committedDate: strOrNull(target, 'committedDate'),
    commitCount: target === null ? 0 : history === null ? null : num(history, 'totalCount'),
  };
}

/** Splits a GraphQL answer back into one entry per alias, using `errors[].path` to tell 404s from failures. */
export function parseBatchAnswer(body: unknown, size: number): BatchAnswer {
  const root = asObject(body);
  const data = asObject(root?.data);
  const errors = Array.isArray(root?.errors) ? root.errors.map(asObject) : [];
  const byAlias = new Map<string, Json>();
  let rateLimited = false;
  for (const e of errors) {
    if (e === null) continue;
    if (str(e, 'type') === 'RATE_LIMITED') rateLimited = true;
    const path = Array.isArray(e.path) ? e.path : [];
    const alias = path[0];
    if (typeof alias === 'string') byAlias.set(alias, e);
  }
  const rate = asObject(data?.rateLimit);
  const entries: BatchEntry[] = [];
  for (let i = 0; i < size; i++) {
    const node = asObject(data?.[`r${i}`]);
    const err = byAlias.get(`r${i}`);
    if (node !== null) entries.push({ kind: 'repo', cheap: parseRepo(node) });
    else if (err !== undefined && str(err, 'type') === 'NOT_FOUND') entries.push({ kind: 'not_found' });
    else entries.push({ kind: 'error', reason: err === undefined ? 'missing from GraphQL answer' : str(err, 'message', 'GraphQL error') });
  }
  return {
    entries,
    rateLimited,
    remaining: rate === null ? null : num(rate, 'remaining'),
    resetAt: strOrNull(rate, 'resetAt'),
  };
}
