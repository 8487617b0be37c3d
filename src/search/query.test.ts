import { describe, expect, it } from 'vitest';
import { chooseCorrection, isCommonPrefixWord, parseQuery, withCorrections } from './query.js';

describe('isCommonPrefixWord', () => {
  it('takes the prefix, its short form and one-slip typos of it', () => {
    for (const w of ['django', 'dj', 'djnago', 'djagno', 'dajngo', 'jdango', 'djano', 'djangoo', 'djanog'])
      expect(isCommonPrefixWord(w)).toBe(true);
  });
  it('leaves real words two edits away alone', () => {
    for (const w of ['mango', 'tango', 'dingo', 'djs', 'jinja', 'dagon', 'django2x']) expect(isCommonPrefixWord(w)).toBe(false);
  });
});

describe('parseQuery', () => {
  it('reads a misspelt prefix on its own as the prefix', () => {
    const p = parseQuery('djnago');
    expect(p?.websearch).toBe('django');
    expect(p?.dense).toBe(true);
    expect(p?.correctable).toEqual([]);
  });

  it('drops a leading (misspelt) prefix from the name words', () => {
    const p = parseQuery('djnago-rest-framework');
    expect(p?.exact).toBe('rest-framework');
    expect(p?.websearch).toBe('rest framework');
    expect(p?.correctable).toEqual(['rest', 'framework']);
  });

  it('offers only words of 4+ characters with a letter, outside quotes, for correction', () => {
    expect(parseQuery('oauth tolkit v2 1234 api')?.correctable).toEqual(['oauth', 'tolkit']);
    expect(parseQuery('"modifed preorder" tree')?.correctable).toEqual([]);
    expect(parseQuery('celry -sorl')?.correctable).toEqual(['celry']);
  });

  it('completes the typed word from any document word only when it has 4+ characters', () => {
    expect(parseQuery('multiproc')?.prefixAnywhere).toBe(true);
    expect(parseQuery('app')?.prefixAnywhere).toBe(false);
    expect(parseQuery('"multiproc"')?.prefixAnywhere).toBe(false);
  });
});

describe('withCorrections', () => {
  it('searches the words as typed or as corrected, and says what it corrected', () => {
    const p = parseQuery('OAuth tolkit -sorl');
    if (p === null) throw new Error('parsed nothing');
    const q = withCorrections(p, new Map([['tolkit', 'toolkit']]));
    expect(q.websearch).toBe('oauth tolkit -sorl or oauth toolkit -sorl');
    expect(q.prefix).toBe('(oauth & tolkit:*) | (oauth & toolkit:*)');
    expect(q.corrected).toBe('OAuth toolkit -sorl');
    expect(q.exact).toBe(p.exact);
  });

  it('ignores corrections of words the query does not offer, and identities', () => {
    const p = parseQuery('celery');
    if (p === null) throw new Error('parsed nothing');
    expect(withCorrections(p, new Map([['celery', 'celery']]))).toBe(p);
    expect(withCorrections(p, new Map([['other', 'word']]))).toBe(p);
    expect(p.corrected).toBeNull();
  });
});

describe('chooseCorrection', () => {
  it('takes the fewest edits over the most trigrams in common, then the more common word', () => {
    // "thumb" shares more trigrams with "thumbnial" than "thumbnail" does, but is four edits away.
    expect(
      chooseCorrection('thumbnial', [
        { term: 'thumb', ndoc: 40 },
        { term: 'thumbnail', ndoc: 12 },
      ]),
    ).toBe('thumbnail');
    expect(
      chooseCorrection('celry', [
        { term: 'celery', ndoc: 3 },
        { term: 'cely', ndoc: 1 },
        { term: 'celer', ndoc: 9 },
      ]),
    ).toBe('celery');
  });
  it('allows one edit up to 5 characters and two above, and none for a known word', () => {
    expect(chooseCorrection('cele', [{ term: 'cache', ndoc: 5 }])).toBeNull();
    expect(chooseCorrection('regstraton', [{ term: 'registration', ndoc: 5 }])).toBe('registration');
    expect(chooseCorrection('rgstraton', [{ term: 'registration', ndoc: 5 }])).toBeNull();
    expect(
      chooseCorrection('celery', [
        { term: 'celery', ndoc: 5 },
        { term: 'celerx', ndoc: 9 },
      ]),
    ).toBeNull();
    expect(chooseCorrection('celry', [])).toBeNull();
  });
});
