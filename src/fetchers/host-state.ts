// State and change detection shared by the hosts that rebuild the histogram from commit listings
// (GitLab, Bitbucket, Forgejo): they all remember the head sha, the cheap fields and the histogram anchor,
// and skip the expensive listings when the head did not move.
import { asObject, bool, num, str, strOrNull } from './common.js';
import type { FetchState, PendingField, RepoMetrics, RepoResult } from './fetcher.js';
import { asWeeks, shiftWeeks, weekNumber } from './weeks.js';

export interface HostCheap {
  stars: number;
  forks: number;
  description: string;
  archived: boolean;
  /** owner/repo (or group/sub/project) as the host spells it now; differs from the URL after a rename. */
  fullName: string;
}

export interface HostState {
  sha: string | null | undefined;
  cheap: HostCheap | null;
  committedDate: string | null;
  commitCount: number | null;
  weeks: number[] | null;
  weeksAnchor: number | null;
  histAt: string | null;
  etags: Record<string, string>;
}

/** Reads the shared host state, ignoring anything malformed (a bad state only costs a full fetch). */
export function readHostState(state: FetchState): HostState {
  const cheap = asObject(state.cheap);
  const etags: Record<string, string> = {};
  for (const [k, v] of Object.entries(asObject(state.etags) ?? {})) if (typeof v === 'string') etags[k] = v;
  return {
    sha: typeof state.sha === 'string' || state.sha === null ? state.sha : undefined,
    cheap:
      cheap === null
        ? null
        : {
            stars: num(cheap, 'stars'),
            forks: num(cheap, 'forks'),
            description: str(cheap, 'description'),
            archived: bool(cheap, 'archived'),
            fullName: str(cheap, 'fullName'),
          },
    committedDate: strOrNull(state, 'committedDate'),
    commitCount: typeof state.commitCount === 'number' ? state.commitCount : null,
    weeks: asWeeks(state.weeks),
    weeksAnchor: typeof state.weeksAnchor === 'number' ? state.weeksAnchor : null,
    histAt: strOrNull(state, 'histAt'),
    etags,
  };
}

export interface FreshData {
  cheap: HostCheap;
  sha: string | null;
  committedDate: string | null;
  /** null = not fetched this time (kept from state when the head did not move). */
  commitCount: number | null;
  participants: string[] | null;
  /** Recomputed histogram when commits were listed, else null. */
  weeks: number[] | null;
  etags: Record<string, string>;
  pending?: PendingField[];
}

/** Builds the result: `unchanged` when nothing differs from the state, else `ok` with a new state. */
export function hostResult(prev: HostState, fresh: FreshData, urlPath: string, publicOrigin: string, now: Date): RepoResult {
  const currentWeek = weekNumber(now);
  let weeks = fresh.weeks;
  let weeksChanged = weeks !== null;
  if (weeks === null && prev.weeks !== null && prev.weeksAnchor !== null && prev.weeksAnchor < currentWeek) {
    // Head unchanged across a week boundary: the window slides with zeros, no request needed.
    weeks = shiftWeeks(prev.weeks, prev.weeksAnchor, now);
    weeksChanged = true;
  }
  const keptWeeks = weeks ?? prev.weeks;
  const commitCount = fresh.commitCount ?? prev.commitCount;
  const state: FetchState = {
    sha: fresh.sha,
    cheap: { ...fresh.cheap },
    committedDate: fresh.committedDate,
    commitCount,
    weeks: keptWeeks,
    weeksAnchor: keptWeeks === null ? null : weeksChanged ? currentWeek : prev.weeksAnchor,
    histAt: fresh.weeks !== null ? now.toISOString() : prev.histAt,
    etags: fresh.etags,
  };
  const renamed = fresh.cheap.fullName !== '' && fresh.cheap.fullName.toLowerCase() !== urlPath.toLowerCase();
  const c = prev.cheap;
  const same =
    c !== null &&
    prev.sha === fresh.sha &&
    c.stars === fresh.cheap.stars &&
    c.forks === fresh.cheap.forks &&
    c.description === fresh.cheap.description &&
    c.archived === fresh.cheap.archived &&
    prev.committedDate === fresh.committedDate &&
    prev.commitCount === commitCount;
  if (same && !weeksChanged && fresh.participants === null && !renamed && fresh.pending === undefined) {
    return { kind: 'unchanged', state };
  }
  const metrics: RepoMetrics = {
    stars: fresh.cheap.stars,
    forks: fresh.cheap.forks,
    description: fresh.cheap.description,
    archived: fresh.cheap.archived,
    lastCommitDate: fresh.committedDate,
    commitCount,
    participants: fresh.participants,
    commitsOver52: weeksChanged ? weeks : null,
  };
  const result: RepoResult = { kind: 'ok', metrics, state };
  if (renamed) result.renamedTo = `${publicOrigin}/${fresh.cheap.fullName}`.toLowerCase();
  if (fresh.pending !== undefined && fresh.pending.length > 0) result.pending = fresh.pending;
  return result;
}
