import { createRefreshDeps } from '../../jobs/refresh-deps.js';
import { refreshIds, type RefreshStats } from '../../jobs/refresh-packages.job.js';
import { nowIso, timestampToMillis } from '../../lib/datetime.js';
import { selectRefreshCandidates } from '../../packages/package-metrics.service.js';
import { say, wantsHelp, type Command } from '../command.js';
import { openForCli } from '../database.js';
import { progressBar } from '../progress.js';

/** Parsed `packgrid fetch` options. */
export interface FetchArgs {
  all: boolean;
  slug: string | undefined;
  staleHours: number | undefined;
  limit: number | undefined;
}

/** Parses the fetch options; returns an error message for bad input. */
export function parseFetchArgs(args: readonly string[]): FetchArgs | string {
  const out: FetchArgs = { all: false, slug: undefined, staleHours: undefined, limit: undefined };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (flag === '--all') out.all = true;
    else if (flag === '--slug') {
      const v = value();
      if (v === undefined || v === '') return '--slug needs a package slug';
      out.slug = v;
    } else if (flag === '--stale-hours' || flag === '--limit') {
      const v = value();
      if (v === undefined || !/^\d+$/.test(v)) return `${flag} needs a whole number`;
      if (flag === '--limit') out.limit = Number(v);
      else out.staleHours = Number(v);
    } else return `unknown option "${a}"`;
  }
  return out;
}

/** The human summary printed at the end of a run. */
export function formatSummary(s: RefreshStats, seconds: number): string {
  const lines = [`fetched ${s.fetched}, unchanged ${s.unchanged}, failed ${s.failed} (of ${s.claimed} packages, ${seconds.toFixed(1)}s)`];
  if (s.deprecated > 0 || s.renamed > 0) lines.push(`deprecated ${s.deprecated}, renamed ${s.renamed}`);
  const reasons = Object.entries(s.failures).sort((a, b) => b[1] - a[1]);
  if (reasons.length > 0) lines.push('failures by reason: ' + reasons.map(([k, v]) => `${k} ${v}`).join(', '));
  const hosts = Object.entries(s.requests.byKey).sort((a, b) => b[1] - a[1]);
  lines.push('upstream requests: ' + (hosts.length === 0 ? 'none' : hosts.map(([k, v]) => `${k} ${v}`).join(', ')));
  return lines.join('\n');
}

/** `packgrid fetch`: a foreground refresh with a progress bar and a summary. */
export const fetchCommand: Command = {
  name: 'fetch',
  summary: 'refresh package metrics from the code hosts and PyPI now, in the foreground',
  usage: [
    'packgrid fetch [--all] [--slug S] [--stale-hours N] [--limit N]',
    '',
    '  --all            every active package, however recently fetched',
    '  --slug S         only the package with this slug',
    '  --stale-hours N  packages not fetched for N hours (default REFRESH_HOURS)',
    '  --limit N        at most N packages, oldest first',
    '',
    'Packages a running worker holds are skipped. Prints fetched/unchanged/failed counts, failures by reason and',
    'upstream requests by host. Exits 1 when any package failed.',
  ].join('\n'),
  async run(args, io) {
    if (wantsHelp(args)) return (say(io.stdout, this.usage), 0);
    const parsed = parseFetchArgs(args);
    if (typeof parsed === 'string') {
      say(io.stderr, `packgrid fetch: ${parsed}\n\n${this.usage}`);
      return 2;
    }
    const { config, handle } = await openForCli(io.env);
    try {
      const now = nowIso();
      const hours = parsed.staleHours ?? config.refreshHours;
      const staleBefore =
        parsed.all || parsed.slug !== undefined ? undefined : new Date(timestampToMillis(now) - hours * 3_600_000).toISOString();
      const ids = await selectRefreshCandidates(handle.db, { slug: parsed.slug, staleBefore, staleHours: hours, limit: parsed.limit });
      if (parsed.slug !== undefined && ids.length === 0) {
        say(io.stderr, `packgrid fetch: no active package with slug "${parsed.slug}" and a repo or PyPI URL`);
        return 2;
      }
      const bar = progressBar('fetching');
      const started = performance.now();
      const stats = await refreshIds(createRefreshDeps(config, handle.db), ids, (d, t) => bar.update(d, t));
      bar.stop();
      say(io.stdout, formatSummary(stats, (performance.now() - started) / 1000));
      return stats.failed > 0 ? 1 : 0;
    } finally {
      await handle.close();
    }
  },
};
