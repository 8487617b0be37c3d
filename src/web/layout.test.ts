import { expect, it } from 'vitest';
import { appForSuite } from '../../test/app.js';
import { describeEachDb } from '../../test/db.js';

describeEachDb(
  'page layout for an operator’s directory',
  (get) => {
    const app = appForSuite(get, { SITE_TITLE: 'Wagtail <Packages>', SITE_URL: 'https://packages.example.org/' });

    it('names the site as the operator set it: title, header, OpenSearch link', async () => {
      const res = await app().inject({ url: '/packages/p/django-taggit/' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<title>django-taggit · Wagtail &lt;Packages></title>');
      expect(res.body).toContain('<a class="brand" href="/">Wagtail &lt;Packages></a>');
      expect(res.body).toContain('title="Wagtail &lt;Packages>" href="/search/opensearch/description/"');
      expect(res.body).not.toContain('· packgrid');
    });

    it('gives link previews (Open Graph) at the public address, escaped, without the query string', async () => {
      const res = await app().inject({ url: '/packages/p/django-taggit/?utm=x' });
      expect(res.body).toContain('<meta property="og:site_name" content="Wagtail &lt;Packages>"/>');
      expect(res.body).toContain('<meta property="og:title" content="django-taggit"/>');
      expect(res.body).toContain('<meta property="og:url" content="https://packages.example.org/packages/p/django-taggit/"/>');
      expect(res.body).toMatch(/<meta property="og:description" content="[^"]+"\/>/);
      const grid = await app().inject({ url: '/grids/g/payment-processing/' });
      expect(grid.body).toContain('<meta property="og:title" content="');
      expect(grid.body).toContain('<meta property="og:url" content="https://packages.example.org/grids/g/payment-processing/"/>');
    });
  },
  { seeded: true },
);
