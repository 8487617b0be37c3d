import { describe, expect, it } from 'vitest';
import type { GridPackageColumn } from '../../grids/grid-page.repository.js';
import { editableCellHtml, featureRowHtml, gridTableHtml, sparklineHtml } from './grid-table-html.js';

const pkg = { id: 7, grid_package_id: 70 } as GridPackageColumn;
const grid = { id: 1, title: 'G', slug: 'a&b', description: '', is_locked: false, header: false, modified: '' };

describe('featureRowHtml', () => {
  it('escapes feature title, description and cell text', () => {
    const html = featureRowHtml(
      { id: 3, title: '<script>x</script>', description: '"><img src=x>' },
      { packages: [pkg], cells: new Map([['70:3', '<b>hi</b>']]) },
      false,
    );
    expect(html).toBe(
      '<th scope="row" title="&quot;&gt;&lt;img src=x&gt;">&lt;script&gt;x&lt;/script&gt;</th><td>&lt;b&gt;hi&lt;/b&gt;</td>',
    );
  });
  it('gives editors the same cell markup as the htmx cell response', () => {
    const row = featureRowHtml({ id: 3, title: 'F', description: '' }, { packages: [pkg], cells: new Map([['70:3', 'yes']]) }, true);
    const cell = editableCellHtml('<i class="y" role="img" aria-label="yes">✔</i>', 7, 3);
    expect(row).toContain(cell);
    expect(cell).toBe('<td id="c7-3"><i class="y" role="img" aria-label="yes">✔</i> <a class="cell-edit" href="?edit=7-3">edit</a></td>');
  });
  it('marks up repeated texts once but gives every package its own cell', () => {
    const other = { id: 8, grid_package_id: 80 } as GridPackageColumn;
    const row = featureRowHtml(
      { id: 3, title: 'F', description: '' },
      {
        packages: [pkg, other],
        cells: new Map([
          ['70:3', 'no'],
          ['80:3', 'no'],
        ]),
      },
      true,
    );
    expect(row).toContain('id="c7-3"><i class="n"');
    expect(row).toContain('id="c8-3"><i class="n"');
  });
});

describe('gridTableHtml', () => {
  const col = {
    ...pkg,
    title: 'Pkg <evil>',
    slug: 'pkg"x',
    repo_description: 'Desc & "quotes"',
    repo_url: 'https://github.com/a/b?x=1&y=2',
    pypi_url: 'https://pypi.org/project/pkg-x/',
    documentation_url: 'javascript:alert(1)',
    category_title: '<Cat>',
    usage_count: 1234,
    supports_python3: null,
    repo_watchers: 5,
    repo_forks: 6,
    pypi_downloads: 0,
    commits_over_52: [0, 2, 4],
    last_commit_date: null,
    score: 10,
    pypi_license: '<MIT>',
    modified: '',
    version_number: null,
    version_license: null,
    development_status: 5,
    date_deprecated: null,
    date_repo_archived: '2026-01-01 00:00:00+00',
  } satisfies GridPackageColumn;
  it('escapes every package field and keeps unsafe URLs out of hrefs', () => {
    const html = gridTableHtml({ grid, packages: [col], features: [], cells: new Map() }, false, 'UTC');
    expect(html).toContain('<th scope="col"><a href="/packages/p/pkg%22x/">Pkg &lt;evil&gt;</a><span class="badge">archived</span></th>');
    expect(html).toContain('<td>Desc &amp; &quot;quotes&quot;</td>');
    expect(html).toContain('<td>&lt;Cat&gt;</td>');
    expect(html).toContain('<td>1,234</td>');
    expect(html).toContain('<td>Unknown</td>');
    expect(html).toContain('<td>Production/Stable</td>');
    expect(html).toContain('<td>&lt;MIT&gt;</td>');
    expect(html).toContain(
      '<a href="https://github.com/a/b?x=1&amp;y=2">Repo</a> <a href="https://pypi.org/project/pkg-x/">PyPI</a> <a href="#">Docs</a>',
    );
    expect(html).not.toContain('<evil>');
    expect(html).not.toContain('data-cell-base');
    // No features: no divider row.
    expect(html).not.toContain('class="section"');
  });
  it('tells editors where the cell editors live', () => {
    const html = gridTableHtml(
      { grid, packages: [col], features: [{ id: 3, title: 'F', description: '' }], cells: new Map() },
      true,
      'UTC',
    );
    expect(html.startsWith('<table class="grid" data-cell-base="/grids/element/a%26b/">')).toBe(true);
    expect(html).toContain('<tr class="section"><th scope="row">Features</th><td colspan="1"></td></tr>');
  });
  it('draws the sparkline with the total in its label', () => {
    expect(sparklineHtml([0, 2, 4])).toBe(
      '<svg class="chart" viewBox="0 0 104 21" width="104" height="21" role="img" aria-label="6 commits in 52 weeks"><polyline points="0,20 2,11 4,2" fill="none" stroke="currentColor" stroke-width="1.5"></polyline></svg>',
    );
    expect(sparklineHtml([])).toBe('<span class="muted">no data</span>');
  });
});
