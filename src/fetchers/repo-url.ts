// Repository URL normalisation, ported from the original's add form
// (djangopackages package/repos/repo_url_normelizer.py) so stored repo_url values stay comparable.

/** Thrown when a repository URL cannot be normalised. */
export class RepoUrlError extends Error {
  override readonly name = 'RepoUrlError';
}

// Hosts whose repositories are exactly owner/repo; GitLab keeps nested groups.
const SIMPLE_HOSTS = new Set(['github.com', 'bitbucket.org', 'codeberg.org']);
const NESTED_HOSTS = new Set(['gitlab.com']);

// Path segments that start a deep link (tree/main, -/merge_requests ...) and are never part of a repo path.
const URL_MARKERS = new Set([
  'tree',
  'blob',
  'commit',
  'commits',
  'compare',
  'releases',
  'pull',
  'pulls',
  'issues',
  'src',
  'raw',
  'merge_requests',
  'tags',
  '-',
  'milestone',
  'wiki',
  'settings',
]);

const SCP_REGEX = /^(?<user>[^@/]+)@(?<host>[^:/]+):(?<path>.+)$/;

interface ParsedUrl {
  host: string;
  path: string;
}

function parseUrl(raw: string): ParsedUrl {
  const scp = SCP_REGEX.exec(raw);
  if (scp?.groups !== undefined && !raw.includes('://')) {
    return { host: (scp.groups.host ?? '').toLowerCase(), path: scp.groups.path ?? '' };
  }
  let text = raw;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    // Bare "github.com/owner/repo": only when the first segment looks like a domain.
    const first = text.split('/', 1)[0] ?? '';
    if (!first.includes('.')) return { host: '', path: '' };
    text = `https://${text}`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { host: '', path: '' };
  }
  let host = url.hostname.toLowerCase();
  if (host.startsWith('www.')) host = host.slice(4);
  // Keep a non-default port: self-hosted instances (and the test fake) may live on one.
  if (url.port !== '') host = `${host}:${url.port}`;
  return { host, path: url.pathname };
}

function cleanPath(path: string): string[] {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    decoded = path;
  }
  decoded = decoded.replace(/^\/+|\/+$/g, '');
  if (decoded.endsWith('.git')) decoded = decoded.slice(0, -4);
  return decoded.split('/').filter((s) => s !== '');
}

function stripMarkers(segments: string[]): string[] {
  const i = segments.findIndex((s) => URL_MARKERS.has(s));
  return i === -1 ? segments : segments.slice(0, i);
}

/** Normalises a repository URL to lowercase `https://host/owner/repo` (GitLab keeps nested groups); throws RepoUrlError. */
export function normalizeRepoUrl(url: string): string {
  const trimmed = url.trim();
  if (trimmed === '') throw new RepoUrlError('URL cannot be empty');
  const { host, path } = parseUrl(trimmed);
  if (host === '') throw new RepoUrlError('Could not extract hostname from URL');
  let segments = cleanPath(path);
  if (segments.length < 2) {
    throw new RepoUrlError('Invalid repository path. Expected format: owner/repo or group/project');
  }
  if (SIMPLE_HOSTS.has(host)) {
    segments = stripMarkers(segments).slice(0, 2);
  } else if (NESTED_HOSTS.has(host)) {
    segments = stripMarkers(segments);
  } else {
    // Unknown host (self-hosted Forgejo/GitLab): the original assumes owner/repo.
    segments = segments.slice(0, 2);
  }
  if (segments.length < 2) throw new RepoUrlError('Invalid URL structure');
  return `https://${host}/${segments.join('/')}`.toLowerCase();
}

/** Splits a repository URL into host (lowercase, with port) and path segments, without the nesting rules; null if unparsable. */
export function splitRepoUrl(url: string): { host: string; origin: string; segments: string[] } | null {
  const trimmed = url.trim();
  let parsed: URL;
  try {
    parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    return null;
  }
  let host = parsed.hostname.toLowerCase();
  if (host.startsWith('www.')) host = host.slice(4);
  if (parsed.port !== '') host = `${host}:${parsed.port}`;
  const segments = stripMarkers(cleanPath(parsed.pathname));
  if (segments.length < 2) return null;
  return { host, origin: `${parsed.protocol}//${host}`, segments };
}
