import { describe, expect, it } from 'vitest';
import type { GridPackageColumn } from '../../grids/grid-page.repository.js';
import { editableCellHtml, featureRowHtml } from './grid.page.js';

const pkg = { id: 7, grid_package_id: 70 } as GridPackageColumn;
const grid = { id: 1, title: 'G', slug: 'a&b', description: '', is_locked: false, header: false, modified: '' };

describe('featureRowHtml', () => {
  it('escapes feature title, description and cell text', () => {
    const html = featureRowHtml({ id: 3, title: '<script>x</script>', description: '"><img src=x>' }, { packages: [pkg], cells: new Map([['70:3', '<b>hi</b>']]), grid }, false);
    expect(html).toBe('<th scope="row" title="&quot;&gt;&lt;img src=x&gt;">&lt;script&gt;x&lt;/script&gt;</th><td>&lt;b&gt;hi&lt;/b&gt;</td>');
  });
  it('gives editors the same cell markup as the htmx cell response', () => {
    const row = featureRowHtml({ id: 3, title: 'F', description: '' }, { packages: [pkg], cells: new Map([['70:3', 'yes']]), grid }, true);
    const cell = editableCellHtml('<i class="y" role="img" aria-label="yes">✔</i>', 'a&b', 7, 3);
    expect(row).toContain(cell);
    expect(cell).toBe('<td id="c7-3"><i class="y" role="img" aria-label="yes">✔</i> <a class="cell-edit" href="/grids/element/a%26b/7/3/">edit</a></td>');
  });
});
