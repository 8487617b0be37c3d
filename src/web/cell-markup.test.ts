import { describe, expect, it } from 'vitest';
import { CHECK_ICON, CROSS_ICON, renderCellHtml } from './cell-markup.js';

describe('renderCellHtml', () => {
  it('turns yes/no keywords into icons, case-insensitively and trimmed', () => {
    expect(renderCellHtml(' Yes ')).toBe(CHECK_ICON);
    expect(renderCellHtml('+1')).toBe(CHECK_ICON);
    expect(renderCellHtml('NO')).toBe(CROSS_ICON);
    expect(renderCellHtml('-')).toBe(CROSS_ICON);
  });
  it('repeats icons for +2/-- and caps at three', () => {
    expect(renderCellHtml('+2')).toBe(CHECK_ICON.repeat(2));
    expect(renderCellHtml('--')).toBe(CROSS_ICON.repeat(2));
    expect(renderCellHtml('+5')).toBe(CHECK_ICON.repeat(3));
    expect(renderCellHtml('+++++')).toBe(CHECK_ICON.repeat(3));
    expect(renderCellHtml('-12')).toBe(CROSS_ICON.repeat(3));
  });
  it('escapes everything else, including HTML', () => {
    expect(renderCellHtml('<script>alert(1)</script> & "x"')).toBe('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
  });
  it('links URLs and keeps trailing punctuation outside', () => {
    expect(renderCellHtml('see https://example.org/a?b=1&c=2.')).toBe(
      'see <a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener">https://example.org/a?b=1&amp;c=2</a>.',
    );
    expect(renderCellHtml('www.x.org')).toContain('href="http://www.x.org"');
  });
  it('does not let a URL break out of the attribute', () => {
    const html = renderCellHtml('http://x.org/"onmouseover="alert(1)');
    expect(html).not.toContain('"onmouseover');
  });
  it('turns newlines into <br>', () => {
    expect(renderCellHtml('a\nb\r\nc')).toBe('a<br>b<br>c');
  });
  it('replaces a leading keyword with the icon and a non-breaking space (the original quirk)', () => {
    expect(renderCellHtml('yes, since 1.2')).toBe(CHECK_ICON + '&nbsp;, since 1.2');
    expect(renderCellHtml('notes')).toBe(CROSS_ICON + '&nbsp;tes');
    expect(renderCellHtml('Notes')).toBe('Notes');
  });
});
