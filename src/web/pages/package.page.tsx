import type { VNode } from 'preact';
import type { ExampleRow, PackagePageRow, ReleaseRow } from '../../packages/package-page.repository.js';
import { CommitChart, Csrf, Pager } from '../components.js';
import { developmentStatusLabel, formatCount, formatDay, isoDate } from '../format.js';
import { safeHref } from '../html.js';
import type { Viewer } from '../viewer.js';

/** Everything the package page shows. */
export interface PackagePageData {
  p: PackagePageRow;
  releases: { rows: ReleaseRow[]; total: number };
  grids: { id: number; title: string; slug: string }[];
  examples: ExampleRow[];
  state: { favourite: boolean; uses: boolean; flagged: boolean } | null;
  flags: { id: number; reason: string; username: string; created: string; approved_flag: boolean }[];
  siteUrl: string;
  siteTitle: string;
}

/** Versions a classifier list declares under a prefix ("Framework :: Django :: 5.0" → "5.0"). */
export function classifierVersions(classifiers: readonly string[] | null, prefix: string): string[] {
  const out: string[] = [];
  for (const c of classifiers ?? []) {
    if (!c.startsWith(prefix + ' :: ')) continue;
    const v = c.slice(prefix.length + 4).trim();
    if (/^\d+(\.\d+)*$/.test(v)) out.push(v);
  }
  return out.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** A contributor's profile URL on the package's host. */
export function contributorUrl(repoUrl: string, login: string): string {
  const host = /^https?:\/\/([^/]+)/i.exec(repoUrl)?.[1]?.toLowerCase() ?? 'github.com';
  const base = host === 'bitbucket.org' ? 'https://bitbucket.org' : `https://${host}`;
  return `${base}/${encodeURIComponent(login)}`;
}

/** The pypi project name from a stored pypi_url (the original's pypi_name). */
export function pypiName(pypiUrl: string): string {
  return (
    pypiUrl
      .replace(/^https?:\/\/(pypi\.python\.org\/pypi|pypi\.org\/project)\//i, '')
      .replace(/\/+$/, '')
      .split('/')[0] ?? ''
  );
}

/** The releases table (also served alone as the htmx page fragment). */
export function ReleasesTable({
  slug,
  releases,
  page,
  tz,
}: {
  slug: string;
  releases: { rows: ReleaseRow[]; total: number };
  page: number;
  tz: string;
}): VNode {
  const href = (n: number) => `/packages/${encodeURIComponent(slug)}/versions/?page=${n}`;
  return (
    <div id="releases">
      {releases.rows.length === 0 ? (
        <p class="muted">No releases recorded.</p>
      ) : (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Released</th>
              <th scope="col">Licence</th>
              <th scope="col">Status</th>
              <th scope="col">Python 3</th>
            </tr>
          </thead>
          <tbody>
            {releases.rows.map((r) => (
              <tr key={r.number}>
                <td>{r.number}</td>
                <td>
                  <time datetime={isoDate(r.upload_time)}>{formatDay(r.upload_time, tz)}</time>
                </td>
                <td>{r.license ?? 'UNKNOWN'}</td>
                <td>{developmentStatusLabel(r.development_status)}</td>
                <td>{r.supports_python3 ? 'Yes' : 'No'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div hx-boost="true" hx-target="#releases" hx-swap="outerHTML" hx-select="#releases">
        <Pager page={page} pageSize={10} total={releases.total} href={href} />
      </div>
    </div>
  );
}

function Toggle({
  action,
  on,
  labelOn,
  labelOff,
  viewer,
  count,
}: {
  action: string;
  on: boolean;
  labelOn: string;
  labelOff: string;
  viewer: Viewer;
  count: number;
}): VNode {
  return (
    <form method="post" action={action} class="inline" hx-post={action} hx-swap="outerHTML">
      <Csrf token={viewer.csrfToken} />
      <input type="hidden" name="on" value={on ? '0' : '1'} />
      <button type="submit" class={on ? '' : 'secondary'} aria-pressed={on ? 'true' : 'false'}>
        {on ? labelOn : labelOff} ({formatCount(count)})
      </button>
    </form>
  );
}

/** The favourite toggle (also the htmx response). */
export function FavouriteButton({ slug, on, viewer, count }: { slug: string; on: boolean; viewer: Viewer; count: number }): VNode {
  return (
    <Toggle
      action={`/packages/${encodeURIComponent(slug)}/favorite/`}
      on={on}
      labelOn="★ Favourited"
      labelOff="☆ Favourite"
      viewer={viewer}
      count={count}
    />
  );
}

/** The "I use this" toggle (also the htmx response). */
export function UsageButton({ slug, on, viewer, count }: { slug: string; on: boolean; viewer: Viewer; count: number }): VNode {
  return (
    <Toggle
      action={`/packages/usage/${encodeURIComponent(slug)}/`}
      on={on}
      labelOn="✓ I use this"
      labelOff="I use this"
      viewer={viewer}
      count={count}
    />
  );
}

/** The package page body. */
export function PackagePage({ d, viewer, tz }: { d: PackagePageData; viewer: Viewer | null; tz: string }): VNode {
  const p = d.p;
  const slug = encodeURIComponent(p.slug);
  const django = classifierVersions(p.pypi_classifiers, 'Framework :: Django');
  const python = classifierVersions(p.pypi_classifiers, 'Programming Language :: Python').filter(
    (v) => v.startsWith('3') || v.startsWith('2'),
  );
  const badge = `[![Latest on ${d.siteTitle}](https://img.shields.io/badge/PyPI-${p.slug.replace(/-/g, '--')}-tags-8c3c26.svg)](${d.siteUrl}/packages/p/${p.slug}/)`;
  const pypi = p.pypi_url ? pypiName(p.pypi_url) : '';
  const staff = viewer !== null && (viewer.isStaff || viewer.isSuperuser);
  return (
    <article>
      <h1>{p.title}</h1>
      <p>{p.repo_description || <span class="muted">No description.</span>}</p>
      <div class="actions">
        <a class="badge" href={`/categories/${encodeURIComponent(p.category_slug)}/`}>
          {p.category_title}
        </a>
        {viewer && d.state ? (
          <>
            <a class="btn secondary" href={`/packages/${slug}/edit/`}>
              Edit
            </a>
            <FavouriteButton slug={p.slug} on={d.state.favourite} viewer={viewer} count={p.favorite_count} />
            <UsageButton slug={p.slug} on={d.state.uses} viewer={viewer} count={p.usage_count} />
            {d.state.flagged ? <span class="muted">You flagged this package.</span> : <a href={`/packages/${slug}/flag/`}>Flag</a>}
          </>
        ) : (
          <span class="muted">
            ♥ {formatCount(p.favorite_count)} · {formatCount(p.usage_count)} users ·{' '}
            <a href={`/login/?next=/packages/p/${slug}/`}>Sign in</a> to favourite, flag or edit
          </span>
        )}
        <a href={`/packages/p/${slug}/rules/`}>Package score</a>
        <a href={`/packages/p/${slug}/history/`}>Edit history</a>
      </div>
      {p.date_deprecated || p.deprecates_package_id ? (
        <div class="warning" role="note">
          <strong>This package is deprecated.</strong>{' '}
          {p.replacement_slug ? (
            <>
              It is replaced by <a href={`/packages/p/${encodeURIComponent(p.replacement_slug)}/`}>{p.replacement_title}</a>.
            </>
          ) : null}
        </div>
      ) : null}
      {p.date_repo_archived ? (
        <div class="warning" role="note">
          <strong>The repository is archived</strong> (since {formatDay(p.date_repo_archived, tz)}); it no longer receives changes.
        </div>
      ) : null}
      <section aria-labelledby="h-activity">
        <h2 id="h-activity">Repository activity</h2>
        <dl class="stats">
          <div>
            <dt>Stars</dt>
            <dd>{formatCount(p.repo_watchers)}</dd>
          </div>
          <div>
            <dt>Forks</dt>
            <dd>{formatCount(p.repo_forks)}</dd>
          </div>
          <div>
            <dt>Commits</dt>
            <dd>{formatCount(p.commit_count)}</dd>
          </div>
          <div>
            <dt>Score</dt>
            <dd>
              <a href={`/packages/p/${slug}/rules/`}>{formatCount(p.score)}</a>
            </dd>
          </div>
          <div>
            <dt>Downloads (month)</dt>
            <dd>{formatCount(p.pypi_downloads)}</dd>
          </div>
          <div>
            <dt>Last commit</dt>
            <dd>{formatDay(p.last_commit_date, tz) || '—'}</dd>
          </div>
          <div>
            <dt>Last fetched</dt>
            <dd>{formatDay(p.last_fetched, tz) || 'never'}</dd>
          </div>
        </dl>
        {viewer ? (
          <form method="post" action={`/packages/${slug}/fetch-data/`} class="actions">
            <Csrf token={viewer.csrfToken} />
            <button type="submit" class="secondary">
              Fetch latest data
            </button>
            {p.fetch_requested_at ? <span class="muted">A fetch was requested {formatDay(p.fetch_requested_at, tz)}.</span> : null}
          </form>
        ) : null}
        <h3>Commits in the last 52 weeks</h3>
        {p.commits_over_52.length === 52 ? <CommitChart weeks={p.commits_over_52} /> : <p class="muted">No commit data yet.</p>}
      </section>
      <div class="grid2">
        <section class="card" aria-labelledby="h-links">
          <h2 id="h-links">Links</h2>
          <ul class="plain">
            {p.repo_url ? (
              <li>
                Repository: <a href={safeHref(p.repo_url)}>{p.repo_url}</a>
              </li>
            ) : null}
            {pypi ? (
              <li>
                PyPI: <a href={`https://pypi.org/project/${encodeURIComponent(pypi)}/`}>{pypi}</a>
              </li>
            ) : null}
            <li>
              Documentation:{' '}
              {p.documentation_url ? <a href={safeHref(p.documentation_url)}>{p.documentation_url}</a> : <span class="muted">none</span>}
              {viewer ? (
                <>
                  {' '}
                  <a href={`/packages/${slug}/documentation/edit/`}>edit</a>
                </>
              ) : null}
            </li>
          </ul>
        </section>
        <section class="card" aria-labelledby="h-support">
          <h2 id="h-support">Support</h2>
          <ul class="plain">
            <li>Licence: {p.version_license ?? p.pypi_license ?? 'UNKNOWN'}</li>
            <li>
              Version: {p.version_number ?? '—'}{' '}
              {p.development_status !== null ? <span class="badge">{developmentStatusLabel(p.development_status)}</span> : null}
            </li>
            <li>Python 3: {p.supports_python3 === true ? 'Yes' : p.supports_python3 === false ? 'No' : 'Unknown'}</li>
            <li>Python versions: {python.length ? python.join(', ') : <span class="muted">not declared</span>}</li>
            {p.pypi_requires_python ? <li>Requires Python: {p.pypi_requires_python}</li> : null}
            <li>Django versions: {django.length ? django.join(', ') : <span class="muted">not declared</span>}</li>
          </ul>
        </section>
      </div>
      <section aria-labelledby="h-releases">
        <h2 id="h-releases">Releases</h2>
        <ReleasesTable slug={p.slug} releases={d.releases} page={1} tz={tz} />
      </section>
      <section aria-labelledby="h-contrib">
        <h2 id="h-contrib">Contributors</h2>
        {p.participants.length === 0 ? (
          <p class="muted">None recorded.</p>
        ) : (
          <p>
            {p.participants.map((login, i) => (
              <>
                {i > 0 ? ', ' : ''}
                <a href={contributorUrl(p.repo_url, login)}>{login}</a>
              </>
            ))}
          </p>
        )}
      </section>
      <section aria-labelledby="h-grids">
        <h2 id="h-grids">Grids</h2>
        {d.grids.length === 0 ? (
          <p class="muted">Not in any grid yet.</p>
        ) : (
          <ul>
            {d.grids.map((g) => (
              <li key={g.id}>
                <a href={`/grids/g/${encodeURIComponent(g.slug)}/`}>{g.title}</a>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="h-sites">
        <h2 id="h-sites">Sites using this package</h2>
        {d.examples.length === 0 ? <p class="muted">None listed.</p> : null}
        <ul>
          {d.examples.map((e) => (
            <li key={e.id}>
              <a href={safeHref(e.url)} rel="nofollow noopener">
                {e.title}
              </a>
              {e.active !== true ? <span class="badge">awaiting review</span> : null}
              {viewer && (e.created_by_id === viewer.id || staff) ? (
                <>
                  {' '}
                  <a href={`/packages/${slug}/example/${e.id}/edit/`}>edit</a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
        {viewer ? <a href={`/packages/${slug}/example/add/`}>Add a site</a> : null}
      </section>
      {staff && d.flags.length > 0 ? (
        <section aria-labelledby="h-flags" class="card">
          <h2 id="h-flags">Flags</h2>
          <ul class="plain">
            {d.flags.map((f) => (
              <li key={f.id}>
                {f.username}: {f.reason} {f.approved_flag ? <span class="badge">approved</span> : null}{' '}
                <a href="/staff/moderation/">moderate</a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="h-badge">
        <h2 id="h-badge">README badge</h2>
        <label for="badge-md">Markdown</label>
        <pre id="badge-md" tabIndex={0}>
          {badge}
        </pre>
      </section>
    </article>
  );
}
