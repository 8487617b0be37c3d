import { describe, expect, it } from 'vitest';
import { detectHost } from './fetcher.js';
import { normalizeRepoUrl, RepoUrlError } from './repo-url.js';

describe('normalizeRepoUrl', () => {
  const cases: [string, string][] = [
    ['https://github.com/Django/Deps', 'https://github.com/django/deps'],
    ['https://github.com/django/deps.git', 'https://github.com/django/deps'],
    ['https://www.github.com/django/deps/', 'https://github.com/django/deps'],
    ['http://github.com/django/deps/tree/main/docs', 'https://github.com/django/deps'],
    ['github.com/django/deps', 'https://github.com/django/deps'],
    ['git@github.com:django/deps.git', 'https://github.com/django/deps'],
    [
      'https://gitlab.com/lansharkconsulting/django/django-encrypted-model-fields',
      'https://gitlab.com/lansharkconsulting/django/django-encrypted-model-fields',
    ],
    ['https://gitlab.com/group/sub/project/-/merge_requests/4', 'https://gitlab.com/group/sub/project'],
    ['https://bitbucket.org/Manfre/django-mssql/src/master/', 'https://bitbucket.org/manfre/django-mssql'],
    ['https://codeberg.org/owner/repo/issues/3', 'https://codeberg.org/owner/repo'],
    ['https://git.example.org/owner/repo/extra', 'https://git.example.org/owner/repo'],
  ];
  for (const [input, expected] of cases) {
    it(input, () => expect(normalizeRepoUrl(input)).toBe(expected));
  }
  it('rejects URLs without owner/repo', () => {
    expect(() => normalizeRepoUrl('https://github.com/django')).toThrow(RepoUrlError);
    expect(() => normalizeRepoUrl('')).toThrow(RepoUrlError);
    expect(() => normalizeRepoUrl('not a url')).toThrow(RepoUrlError);
  });
});

describe('detectHost', () => {
  it('auto-detects the public hosts, never Forgejo', () => {
    expect(detectHost('https://github.com/a/b', '')).toBe('github');
    expect(detectHost('https://gitlab.com/a/b/c', '')).toBe('gitlab');
    expect(detectHost('https://bitbucket.org/a/b', '')).toBe('bitbucket');
    expect(detectHost('https://codeberg.org/a/b', '')).toBe('codeberg');
    expect(detectHost('https://git.example.org/a/b', '')).toBe('unsupported');
    expect(detectHost('https://code.google.com/p/x', '')).toBe('unsupported');
  });
  it('lets repo_host override', () => {
    expect(detectHost('https://git.example.org/a/b', 'forgejo')).toBe('forgejo');
    expect(detectHost('https://gitlab.example.org/a/b', 'gitlab')).toBe('gitlab');
    expect(detectHost('https://github.com/a/b', 'nonsense')).toBe('unsupported');
  });
});
