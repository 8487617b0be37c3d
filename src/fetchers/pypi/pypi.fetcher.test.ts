import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeHttpClient } from '../../../test/fake-upstream/clients.js';
import { startFakeUpstream } from '../../../test/fake-upstream/server.js';
import type { FakeUpstream } from '../../../test/fake-upstream/server.js';
import { admitsPython3 } from './pep440.js';
import { createPypiFetcher, developmentStatus, normalizeLicense, pypiNameFromUrl, supportsPython3 } from './pypi.fetcher.js';

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(async () => {
  await fake.close();
});
const pypi = () => createPypiFetcher({ http: fakeHttpClient(fake), pypiUrl: fake.pypiUrl });

describe('pypi fetcher on recorded documents', () => {
  it('reads django: version, releases with exact upload times, docs URL from project_urls', async () => {
    const r = await pypi().fetchProject('Django');
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    const p = r.project;
    expect(p.latestVersion).toBe('4.0.2');
    expect(p.latestUploadTime).toBe('2022-02-01T07:56:23.036066Z');
    expect(p.releases.length).toBeGreaterThan(200);
    expect(p.releases.find((x) => x.number === '4.0.2')?.uploadTime).toBe('2022-02-01T07:56:23.036066Z');
    expect(p.license).toBe('BSD-3-Clause');
    expect(p.licenses).toEqual(['BSD-3-Clause', 'BSD License']);
    expect(p.requiresPython).toBe('>=3.8');
    expect(p.supportsPython3).toBe(true);
    expect(p.developmentStatus).toBe(5);
    expect(p.documentationUrl).toBe('https://docs.djangoproject.com/');
  });

  it('falls back to the classifier licence when the legacy field is empty (nango)', async () => {
    const r = await pypi().fetchProject('nango');
    expect(r.kind === 'ok' && r.project).toMatchObject({
      license: 'MIT License',
      licenses: ['MIT License'],
      documentationUrl: null,
      developmentStatus: 0,
    });
  });

  it('reads crispy-forms and answers 304 as unchanged', async () => {
    const f = pypi();
    const a = await f.fetchProject('django-crispy-forms');
    expect(a.kind === 'ok' && a.project).toMatchObject({
      latestVersion: '1.14.0',
      license: 'MIT',
      requiresPython: '>=3.7',
      supportsPython3: true,
    });
    if (a.kind !== 'ok' || a.etag === null) throw new Error('no etag');
    const b = await f.fetchProject('django-crispy-forms', { etag: a.etag });
    expect(b.kind).toBe('unchanged');
  });

  it('reports 404 as not_found and an empty document as an error', async () => {
    expect(await pypi().fetchProject('no-such-project-xyz')).toEqual({ kind: 'not_found' });
    expect((await pypi().fetchProject('django-fett')).kind).toBe('error');
  });

  it('maps faults to error / rate_limited', async () => {
    fake.fault('/pypi/pypi/wagtail/json', '429', 1);
    expect((await pypi().fetchProject('wagtail')).kind).toBe('rate_limited');
    fake.fault('/pypi/pypi/wagtail/json', 'malformed', 1);
    expect((await pypi().fetchProject('wagtail')).kind).toBe('error');
    fake.clearFaults();
    expect((await pypi().fetchProject('wagtail')).kind).toBe('ok');
  });
});

describe('pypi rules', () => {
  it('strips the pypi URL prefixes', () => {
    expect(pypiNameFromUrl('http://pypi.python.org/pypi/django-cms')).toBe('django-cms');
    expect(pypiNameFromUrl('https://pypi.org/project/django-crispy-forms/')).toBe('django-crispy-forms');
    expect(pypiNameFromUrl('wagtail')).toBe('wagtail');
  });
  it('normalises licences as Version.save', () => {
    expect(normalizeLicense(undefined, false)).toBe('UNKNOWN');
    expect(normalizeLicense('MIT', false)).toBe('MIT');
    expect(normalizeLicense('Permission is hereby granted, free of charge...', false)).toBe('Custom');
    expect(normalizeLicense('GNU General Public License v3 (GPLv3)', true)).toBe('GNU General Public License v3 (GPLv3)');
  });
  it('checks requires_python against 3.0..3.14', () => {
    expect(admitsPython3('>=3.8')).toBe(true);
    expect(admitsPython3('>=2.7, !=3.0.*, !=3.1.*')).toBe(true);
    expect(admitsPython3('<3')).toBe(false);
    expect(admitsPython3('==2.7.*')).toBe(false);
    expect(admitsPython3('~=3.10')).toBe(true);
    expect(admitsPython3('>=3.15')).toBe(false);
    expect(admitsPython3('>=3.14.0b1')).toBe(true);
    expect(admitsPython3('3.6')).toBeNull();
    expect(admitsPython3('>=3.6,')).toBeNull();
  });
  it('falls back to classifiers for python3 and reads development status', () => {
    expect(supportsPython3('garbage', ['Programming Language :: Python :: 3.9'])).toBe(true);
    expect(supportsPython3(null, ['Programming Language :: Python :: 2.7'])).toBeNull();
    expect(supportsPython3('<3', ['Programming Language :: Python :: 3'])).toBe(false);
    expect(developmentStatus(['Development Status :: 4 - Beta'])).toBe(4);
    expect(developmentStatus(['Framework :: Django'])).toBe(0);
  });
});
