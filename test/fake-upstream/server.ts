// A local fake of every upstream (GitHub REST + GraphQL, GitLab, Bitbucket, Forgejo/Codeberg, PyPI) on
// 127.0.0.1:0, one path prefix per upstream. Recorded repos answer with the REAL recorded bodies and headers
// (test/fixtures/upstream); GraphQL answers, Forgejo answers and generated benchmark repos are SYNTHETIC,
// built from the in-memory model below in the shapes the real APIs use. Faults can be injected per path.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { loadPypiDocument, loadRecording, RECORDED_PYPI } from './recordings.js';
import type { Recording } from './recordings.js';

export type Fault = '500' | 'timeout' | 'reset' | '429' | '403-secondary' | 'malformed' | '202' | '404';

export interface FakeGithubRepo {
  owner: string;
  name: string;
  id: number;
  stars: number;
  forks: number;
  description: string;
  archived: boolean;
  /** Default-branch head; null = empty repository. */
  sha: string | null;
  committedDate: string | null;
  commitCount: number;
  contributors: string[];
  participation: number[];
  /** Real recorded bodies served verbatim (with model fields applied) when present. */
  recorded?: { repo?: Recording; contributors?: Recording; participation?: Recording; head?: Recording };
}

export interface FakeCommit {
  sha: string;
  date: string;
}

export interface FakeHostRepo {
  path: string;
  id: number;
  stars: number;
  forks: number;
  description: string;
  archived: boolean;
  branch: string;
  /** Newest first. */
  commits: FakeCommit[];
  contributors: string[];
}

type Json = Record<string, unknown>;
type Answer =
  { status: number; body: unknown; headers?: Record<string, string> } | { fault: 'timeout' | 'reset' } | { raw: string; status: number };

export interface FakeUpstream {
  url: string;
  githubApiUrl: string;
  githubGraphqlUrl: string;
  gitlabUrl: string;
  bitbucketApiUrl: string;
  codebergUrl: string;
  pypiUrl: string;
  /** Every base URL above, for the HTTP client's explicit allow-list. */
  baseUrls: string[];
  github: Map<string, FakeGithubRepo>;
  addGithubRepo(owner: string, name: string, opts?: Partial<Omit<FakeGithubRepo, 'owner' | 'name'>>): FakeGithubRepo;
  /** Simulates a push: new head sha and date, one more commit in the current week. */
  pushGithub(owner: string, name: string): void;
  /** Renames a repo: the old REST path answers 301, GraphQL reports the new nameWithOwner. */
  renameGithub(owner: string, name: string, newOwner: string, newName: string): void;
  addGitlabProject(path: string, opts?: Partial<Omit<FakeHostRepo, 'path'>>): FakeHostRepo;
  addBitbucketRepo(path: string, opts?: Partial<Omit<FakeHostRepo, 'path'>>): FakeHostRepo;
  addForgejoRepo(path: string, opts?: Partial<Omit<FakeHostRepo, 'path'>>): FakeHostRepo;
  addPypi(name: string, doc: unknown): void;
  /** Injects a fault on every request whose path starts with `pathPrefix` (e.g. '/github-api/graphql'). */
  fault(pathPrefix: string, fault: Fault, times?: number): void;
  clearFaults(): void;
  counts(): { total: number; byUpstream: Record<string, number>; byPath: Record<string, number> };
  resetCounts(): void;
  close(): Promise<void>;
}

const key = (owner: string, name: string): string => `${owner}/${name}`.toLowerCase();
const etagOf = (text: string): string => `W/"${createHash('sha1').update(text).digest('hex')}"`;
let nextId = 90_000_000;

function seedGithub(repos: Map<string, FakeGithubRepo>): void {
  const repo = loadRecording('github-repo.json');
  const body = repo.body as Json;
  const head = loadRecording('github-commits-head.json');
  const headCommit = (head.body as Json[])[0] ?? {};
  const contributors = loadRecording('github-contributors.json');
  const participation = loadRecording('github-participation.json');
  repos.set('django/deps', {
    owner: 'django',
    name: 'deps',
    id: Number(body.id),
    stars: Number(body.stargazers_count),
    forks: Number(body.forks_count),
    description: String(body.description),
    archived: body.archived === true,
    sha: String(headCommit.sha),
    committedDate: String(((headCommit.commit as Json).committer as Json).date),
    // SYNTHETIC: the recording's Link says 3 pages of 100, the exact total was not recorded.
    commitCount: 250,
    contributors: (contributors.body as Json[]).map((c) => String(c.login)),
    // The participation recording is github3.py's (the only one recorded); served for django/deps too.
    participation: ((participation.body as Json).all as number[]).slice(),
    recorded: { repo, contributors, participation, head },
  });
  const archived = loadRecording('github-repo-archived.json');
  const a = archived.body as Json;
  repos.set('pydanny/dj-paginator', {
    owner: 'pydanny',
    name: 'dj-paginator',
    id: Number(a.id),
    stars: Number(a.stargazers_count),
    forks: Number(a.forks_count),
    description: String(a.description),
    archived: a.archived === true,
    // SYNTHETIC head commit: not recorded.
    sha: 'a'.repeat(40),
    committedDate: String(a.pushed_at),
    commitCount: 40,
    contributors: (loadRecording('github-contributors-small.json').body as Json[]).map((c) => String(c.login)),
    participation: new Array<number>(52).fill(0),
    recorded: { repo: archived, contributors: loadRecording('github-contributors-small.json') },
  });
}

/** Starts the fake upstream on 127.0.0.1 with an ephemeral port. */
export async function startFakeUpstream(): Promise<FakeUpstream> {
  const github = new Map<string, FakeGithubRepo>();
  const renamed = new Map<string, string>();
  const gitlab = new Map<string, FakeHostRepo>();
  const bitbucket = new Map<string, FakeHostRepo>();
  const forgejo = new Map<string, FakeHostRepo>();
  const pypi = new Map<string, unknown>();
  const faults: { prefix: string; fault: Fault; left: number }[] = [];
  const byUpstream = new Map<string, number>();
  const byPath = new Map<string, number>();
  const sockets = new Set<Socket>();
  seedGithub(github);
  for (const name of RECORDED_PYPI) pypi.set(name, loadPypiDocument(name));
  const gitlabProject = loadRecording('gitlab-project.json');
  const gitlabArchived = loadRecording('gitlab-project-archived.json');
  const gitlabPages = [1, 2, 3, 4, 5].map((n) => loadRecording(`gitlab-commits-page${n}.json`));
  const recordedGitlabCommits = gitlabPages.flatMap((p) => p.body as Json[]);
  // SYNTHETIC repository side of the recorded archived project (only its project answer was recorded).
  gitlab.set('jeff.triplett/django-metadata', {
    path: 'jeff.triplett/django-metadata',
    id: Number((gitlabArchived.body as Json).id),
    stars: 0,
    forks: 0,
    description: '',
    archived: true,
    branch: 'master',
    commits: [],
    contributors: [],
  });

  let base = '';
  const rewrite = (text: string): string =>
    text
      .replaceAll('https://api.github.com', `${base}/github-api`)
      .replaceAll('https://gitlab.com', `${base}/gitlab`)
      .replaceAll('https://api.bitbucket.org', `${base}/bitbucket`);

  function json(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
    return { status, body, headers };
  }

  function githubRepoBody(r: FakeGithubRepo): Json {
    const rec = (r.recorded?.repo?.body ?? {}) as Json;
    return {
      ...rec,
      id: r.id,
      name: r.name,
      full_name: `${r.owner}/${r.name}`,
      description: r.description,
      stargazers_count: r.stars,
      watchers_count: r.stars,
      forks_count: r.forks,
      archived: r.archived,
      default_branch: typeof rec.default_branch === 'string' ? rec.default_branch : 'main',
    };
  }

  function routeGithub(path: string, url: URL, req: IncomingMessage, body: string): Answer {
    const apiBase = `${base}/github-api`;
    if (path === '/graphql') {
      if (req.headers.authorization === undefined) return json(401, { message: 'This endpoint requires you to be authenticated.' });
      return githubGraphql(body);
    }
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
    if (m === null) return json(404, { message: 'Not Found' });
    const k = key(m[1] ?? '', m[2] ?? '');
    const rest = m[3] ?? '';
    const target = renamed.get(k);
    if (target !== undefined)
      return json(301, { message: 'Moved Permanently' }, { location: `${apiBase}/repos/${target}${rest}${url.search}` });
    const r = github.get(k);
    if (r === undefined) {
      const rec = loadRecording('github-repo-404.json');
      return json(404, rec.body, rec.headers);
    }
    const recHeaders = (rec: Recording | undefined): Record<string, string> => ({
      'x-ratelimit-remaining': '4999',
      ...(rec === undefined ? {} : rec.headers),
    });
    if (rest === '') return json(200, githubRepoBody(r), recHeaders(r.recorded?.repo));
    if (rest === '/commits') {
      if (r.sha === null) return json(409, { message: 'Git Repository is empty.' });
      const headRec = (r.recorded?.head?.body as Json[] | undefined)?.[0];
      const commit =
        headRec !== undefined && headRec.sha === r.sha
          ? headRec
          : { sha: r.sha, commit: { committer: { name: 'x', date: r.committedDate } } };
      const link = `<${apiBase}/repositories/${r.id}/commits?per_page=1&page=2>; rel="next", <${apiBase}/repositories/${r.id}/commits?per_page=1&page=${r.commitCount}>; rel="last"`;
      return json(200, [commit], { 'x-ratelimit-remaining': '4999', ...(r.commitCount > 1 ? { link } : {}) });
    }
    if (rest === '/stats/participation') {
      const rec = r.recorded?.participation;
      const recAll = (rec?.body as Json | undefined)?.all;
      const same = Array.isArray(recAll) && recAll.join() === r.participation.join();
      return json(
        200,
        same && rec !== undefined ? rec.body : { all: r.participation, owner: new Array<number>(52).fill(0) },
        recHeaders(rec),
      );
    }
    if (rest === '/contributors') {
      const perPage = Number(url.searchParams.get('per_page') ?? '30');
      const page = Number(url.searchParams.get('page') ?? '1');
      const recorded = r.recorded?.contributors;
      const all: unknown[] =
        recorded !== undefined && (recorded.body as Json[]).map((c) => c.login).join() === r.contributors.join()
          ? (recorded.body as unknown[])
          : r.contributors.map((login, i) => ({ login, id: i + 1, type: 'User', contributions: 100 - i }));
      if (all.length === 0) return { status: 204, body: '' };
      const slice = all.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = recHeaders(recorded);
      if (page * perPage < all.length)
        headers.link = `<${apiBase}/repositories/${r.id}/contributors?per_page=${perPage}&page=${page + 1}>; rel="next"`;
      return json(200, slice, headers);
    }
    return json(404, { message: 'Not Found' });
  }

  // SYNTHETIC: GraphQL answers are generated from the model, in the shape GitHub returns (data + errors).
  function githubGraphql(text: string): Answer {
    let parsed: { variables?: Record<string, string> };
    try {
      parsed = JSON.parse(text) as { variables?: Record<string, string> };
    } catch {
      return json(400, { message: 'Problems parsing JSON' });
    }
    const vars = parsed.variables ?? {};
    const data: Json = { rateLimit: { cost: 1, remaining: 4999, resetAt: new Date(Date.now() + 3_600_000).toISOString() } };
    const errors: Json[] = [];
    for (let i = 0; vars[`o${i}`] !== undefined; i++) {
      let k = key(vars[`o${i}`] ?? '', vars[`n${i}`] ?? '');
      k = renamed.get(k) ?? k;
      const r = github.get(k);
      if (r === undefined) {
        data[`r${i}`] = null;
        errors.push({ type: 'NOT_FOUND', path: [`r${i}`], message: `Could not resolve to a Repository with the name '${k}'.` });
        continue;
      }
      data[`r${i}`] = {
        stargazerCount: r.stars,
        forkCount: r.forks,
        description: r.description === '' ? null : r.description,
        isArchived: r.archived,
        nameWithOwner: `${r.owner}/${r.name}`,
        defaultBranchRef:
          r.sha === null ? null : { target: { oid: r.sha, committedDate: r.committedDate, history: { totalCount: r.commitCount } } },
      };
    }
    return json(200, errors.length > 0 ? { data, errors } : { data });
  }

  function hostRepo(map: Map<string, FakeHostRepo>, path: string, opts: Partial<Omit<FakeHostRepo, 'path'>>): FakeHostRepo {
    const repo: FakeHostRepo = {
      path,
      id: nextId++,
      stars: 0,
      forks: 0,
      description: '',
      archived: false,
      branch: 'main',
      commits: [],
      contributors: [],
      ...opts,
    };
    map.set(path.toLowerCase(), repo);
    return repo;
  }

  function routeGitlab(path: string, url: URL): Answer {
    const m = /^\/api\/v4\/projects\/([^/]+)(\/repository\/(commits|contributors)(?:\/([^/]+)\/sequence)?)?$/.exec(path);
    if (m === null) return json(404, { message: '404 Not Found' });
    const idOrPath = decodeURIComponent(m[1] ?? '').toLowerCase();
    const recordedId = String((gitlabProject.body as Json).id);
    if (m[2] === undefined) {
      if (idOrPath === 'lansharkconsulting/django/django-encrypted-model-fields')
        return json(200, gitlabProject.body, gitlabProject.headers);
      if (idOrPath === 'jeff.triplett/django-metadata') return json(200, gitlabArchived.body, gitlabArchived.headers);
      const g = gitlab.get(idOrPath);
      if (g === undefined) {
        const rec = loadRecording('gitlab-project-404.json');
        return json(404, rec.body, rec.headers);
      }
      return json(200, {
        id: g.id,
        description: g.description,
        star_count: g.stars,
        forks_count: g.forks,
        archived: g.archived,
        default_branch: g.branch,
        path_with_namespace: g.path,
      });
    }
    const isRecorded = idOrPath === recordedId;
    const g = [...gitlab.values()].find((p) => String(p.id) === idOrPath);
    if (!isRecorded && g === undefined) return json(404, { message: '404 Project Not Found' });
    if (m[3] === 'contributors') {
      if (isRecorded) {
        const rec = loadRecording('gitlab-contributors.json');
        return json(200, rec.body, { ...rec.headers, link: '' });
      }
      return json(
        200,
        (g?.contributors ?? []).map((name) => ({ name, email: `${name}@example.org`, commits: 1 })),
      );
    }
    if (m[4] !== undefined) {
      // SYNTHETIC: the sequence endpoint was not recorded; the count is the number of recorded commits.
      return json(200, { count: isRecorded ? recordedGitlabCommits.length : (g?.commits.length ?? 0) });
    }
    const perPage = Number(url.searchParams.get('per_page') ?? '20');
    if (isRecorded) {
      if (perPage === 1) return json(200, recordedGitlabCommits.slice(0, 1));
      // Replays the recorded pages (they were recorded without `since`; the fetcher filters by date).
      const page = Math.min(5, Math.max(1, Number(url.searchParams.get('page') ?? '1')));
      const rec = gitlabPages[page - 1];
      return rec === undefined ? json(200, []) : json(200, rec.body, rec.headers);
    }
    const since = Date.parse(url.searchParams.get('since') ?? '1970-01-01T00:00:00Z');
    const list = (g?.commits ?? []).filter((c) => Date.parse(c.date) >= since);
    const page = Number(url.searchParams.get('page') ?? '1');
    const slice = list.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = page * perPage < list.length ? { 'x-next-page': String(page + 1) } : {};
    return json(
      200,
      slice.map((c) => ({ id: c.sha, committed_date: c.date })),
      headers,
    );
  }

  function routeBitbucket(path: string, url: URL): Answer {
    const m = /^\/2\.0\/repositories\/([^/]+)\/([^/]+)\/?(forks|watchers|commits)?(?:\/([^/]+))?\/?$/.exec(path);
    if (m === null) return json(404, { type: 'error', error: { message: 'Not found' } });
    const k = `${m[1] ?? ''}/${m[2] ?? ''}`.toLowerCase();
    const part = m[3];
    if (k === 'manfre/django-mssql') {
      if (part === undefined) return replay(loadRecording('bitbucket-repo.json'));
      if (part === 'forks') return replay(loadRecording('bitbucket-forks.json'));
      if (part === 'watchers') return replay(loadRecording('bitbucket-watchers.json'));
      // Only page 1 of the commit listing was recorded: drop `next` so the replay ends there.
      const rec = loadRecording('bitbucket-commits.json');
      const { next: _dropped, ...rest } = rec.body as Json;
      return json(200, rest, rec.headers);
    }
    const r = bitbucket.get(k);
    if (r === undefined) return json(404, { type: 'error', error: { message: `Repository ${k} not found` } });
    if (part === undefined)
      return json(200, { full_name: r.path, description: r.description, mainbranch: { name: r.branch, type: 'branch' } });
    if (part === 'forks' || part === 'watchers')
      return json(200, { values: [], pagelen: 1, size: part === 'forks' ? r.forks : r.stars, page: 1 });
    const pagelen = Number(url.searchParams.get('pagelen') ?? '30');
    const page = Number(url.searchParams.get('page') ?? '1');
    const slice = r.commits.slice((page - 1) * pagelen, page * pagelen);
    const body: Json = { values: slice.map((c) => ({ type: 'commit', hash: c.sha, date: c.date })), pagelen };
    if (page * pagelen < r.commits.length) body.next = `${base}/bitbucket${path}?pagelen=${pagelen}&page=${page + 1}`;
    return json(200, body);
  }

  // SYNTHETIC: no Forgejo/Codeberg responses were recorded; shapes follow the Gitea/Forgejo API v1.
  function routeForgejo(path: string, url: URL): Answer {
    const m = /^\/api\/v1\/repos\/([^/]+)\/([^/]+)(\/commits)?$/.exec(path);
    if (m === null) return json(404, { message: "The target couldn't be found." });
    const r = forgejo.get(`${m[1] ?? ''}/${m[2] ?? ''}`.toLowerCase());
    if (r === undefined) return json(404, { errors: null, message: "The target couldn't be found." });
    if (m[3] === undefined) {
      return json(200, {
        id: r.id,
        full_name: r.path,
        description: r.description,
        stars_count: r.stars,
        watchers_count: 1,
        forks_count: r.forks,
        archived: r.archived,
        default_branch: r.branch,
        empty: r.commits.length === 0,
      });
    }
    if (r.commits.length === 0) return json(409, { message: 'Git Repository is empty.' });
    const since = Date.parse(url.searchParams.get('since') ?? '1970-01-01T00:00:00Z');
    const list = r.commits.filter((c) => Date.parse(c.date) >= since);
    const limit = Number(url.searchParams.get('limit') ?? '30');
    const page = Number(url.searchParams.get('page') ?? '1');
    const slice = list.slice((page - 1) * limit, page * limit);
    return json(
      200,
      slice.map((c) => ({ sha: c.sha, created: c.date, commit: { committer: { name: 'x', date: c.date } } })),
      { 'x-total-count': String(list.length) },
    );
  }

  function replay(rec: Recording): Answer {
    return json(rec.status, rec.body, rec.headers);
  }

  function route(req: IncomingMessage, url: URL, body: string): { upstream: string; answer: Answer } {
    const p = url.pathname;
    if (p.startsWith('/github-api/')) return { upstream: 'github', answer: routeGithub(p.slice('/github-api'.length), url, req, body) };
    if (p.startsWith('/gitlab/')) return { upstream: 'gitlab', answer: routeGitlab(p.slice('/gitlab'.length), url) };
    if (p.startsWith('/api/v4/')) return { upstream: 'gitlab', answer: routeGitlab(p, url) };
    if (p.startsWith('/bitbucket/')) return { upstream: 'bitbucket', answer: routeBitbucket(p.slice('/bitbucket'.length), url) };
    if (p.startsWith('/codeberg/')) return { upstream: 'codeberg', answer: routeForgejo(p.slice('/codeberg'.length), url) };
    if (p.startsWith('/api/v1/')) return { upstream: 'forgejo', answer: routeForgejo(p, url) };
    const py = /^\/pypi\/pypi\/([^/]+)\/json$/.exec(p);
    if (py !== null) {
      const doc = pypi.get(decodeURIComponent(py[1] ?? '').toLowerCase());
      return { upstream: 'pypi', answer: doc === undefined ? json(404, { message: 'Not Found' }) : json(200, doc) };
    }
    return { upstream: 'unknown', answer: json(404, { message: 'Not Found' }) };
  }

  function faultAnswer(fault: Fault): Answer {
    switch (fault) {
      case '500':
        return json(500, { message: 'Server Error' });
      case 'timeout':
      case 'reset':
        return { fault };
      case '429':
        return json(429, { message: 'Too Many Requests' }, { 'retry-after': '120' });
      case '403-secondary':
        return json(403, {
          message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        });
      case 'malformed':
        return { raw: '{"stargazers_count": 4', status: 200 };
      case '202':
        return json(202, {});
      case '404':
        return json(404, { message: 'Not Found' });
    }
  }

  function send(req: IncomingMessage, res: ServerResponse, answer: Answer): void {
    if ('fault' in answer) {
      if (answer.fault === 'reset') req.socket.destroy();
      return; // 'timeout': never answer; close() destroys the socket.
    }
    if ('raw' in answer) {
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(answer.raw);
      return;
    }
    const text = typeof answer.body === 'string' ? answer.body : rewrite(JSON.stringify(answer.body));
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(answer.headers ?? {})) if (v !== '') headers[k] = rewrite(v);
    if (answer.status === 200) {
      const etag = etagOf(text);
      headers.etag = etag;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
    }
    if (answer.status !== 204) headers['content-type'] = 'application/json; charset=utf-8';
    res.writeHead(answer.status, headers);
    res.end(answer.status === 204 ? undefined : text);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base);
      const { upstream, answer } = route(req, url, Buffer.concat(chunks).toString('utf8'));
      byUpstream.set(upstream, (byUpstream.get(upstream) ?? 0) + 1);
      byPath.set(url.pathname, (byPath.get(url.pathname) ?? 0) + 1);
      const f = faults.find((x) => x.left > 0 && url.pathname.startsWith(x.prefix));
      if (f !== undefined) {
        f.left--;
        send(req, res, faultAnswer(f.fault));
        return;
      }
      send(req, res, answer);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeUpstream = {
    url: base,
    githubApiUrl: `${base}/github-api`,
    githubGraphqlUrl: `${base}/github-api/graphql`,
    gitlabUrl: `${base}/gitlab`,
    bitbucketApiUrl: `${base}/bitbucket`,
    codebergUrl: `${base}/codeberg`,
    pypiUrl: `${base}/pypi`,
    baseUrls: [base],
    github,
    addGithubRepo(owner, name, opts = {}) {
      const repo: FakeGithubRepo = {
        owner,
        name,
        id: nextId++,
        stars: 0,
        forks: 0,
        description: '',
        archived: false,
        sha: createHash('sha1').update(`${owner}/${name}`).digest('hex'),
        committedDate: '2026-01-05T10:00:00Z',
        commitCount: 10,
        contributors: [owner],
        participation: new Array<number>(52).fill(0),
        ...opts,
      };
      github.set(key(owner, name), repo);
      return repo;
    },
    pushGithub(owner, name) {
      const r = github.get(key(owner, name));
      if (r === undefined) throw new Error(`no fake repo ${owner}/${name}`);
      r.sha = createHash('sha1')
        .update(`${r.sha ?? ''}+`)
        .digest('hex');
      r.committedDate = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      r.commitCount++;
      r.participation = [...r.participation.slice(0, 51), (r.participation[51] ?? 0) + 1];
    },
    renameGithub(owner, name, newOwner, newName) {
      const r = github.get(key(owner, name));
      if (r === undefined) throw new Error(`no fake repo ${owner}/${name}`);
      github.delete(key(owner, name));
      r.owner = newOwner;
      r.name = newName;
      github.set(key(newOwner, newName), r);
      renamed.set(key(owner, name), key(newOwner, newName));
    },
    addGitlabProject: (path, opts = {}) => hostRepo(gitlab, path, opts),
    addBitbucketRepo: (path, opts = {}) => hostRepo(bitbucket, path, opts),
    addForgejoRepo: (path, opts = {}) => hostRepo(forgejo, path, opts),
    addPypi(name, doc) {
      pypi.set(name.toLowerCase(), doc);
    },
    fault(pathPrefix, fault, times = Number.POSITIVE_INFINITY) {
      faults.push({ prefix: pathPrefix, fault, left: times });
    },
    clearFaults() {
      faults.length = 0;
    },
    counts() {
      let total = 0;
      for (const v of byUpstream.values()) total += v;
      return { total, byUpstream: Object.fromEntries(byUpstream), byPath: Object.fromEntries(byPath) };
    },
    resetCounts() {
      byUpstream.clear();
      byPath.clear();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
