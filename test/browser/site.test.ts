import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBigGrid } from './big-grid.js';
import { openPage, screenshot, startHarness, type BrowserHarness } from './harness.js';

describe('packgrid in Chromium', () => {
  let h: BrowserHarness;
  let packageSlug = '';
  beforeAll(async () => {
    h = await startHarness();
    await createBigGrid(h.db.db, { slug: 'big-grid' });
    const p = await h.db.db
      .selectFrom('packages')
      .select('slug')
      .where('latest_version_id', 'is not', null)
      .orderBy('repo_watchers', 'desc')
      .executeTakeFirstOrThrow();
    packageSlug = p.slug;
  });
  afterAll(async () => h?.close());

  it('home page renders with search, grids and lists', async () => {
    const { page, errors } = await openPage(h);
    await page.goto(`${h.url}/`);
    await page.getByRole('heading', { name: 'Find and compare reusable packages' }).waitFor();
    expect(await page.locator('#search-suggestions').count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Latest releases' }).count()).toBe(1);
    await screenshot(page, 'home');
    const phone = await openPage(h, 390);
    await phone.page.goto(`${h.url}/`);
    await screenshot(phone.page, 'home-phone');
    const dark = await openPage(h, 1280, 'dark');
    await dark.page.goto(`${h.url}/`);
    const bg = await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(20, 24, 27)');
    await screenshot(dark.page, 'home-dark');
    // Keyboard: the first Tab lands on the skip link, which jumps to the content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    expect(errors).toEqual([]);
    expect(phone.errors).toEqual([]);
    expect(dark.errors).toEqual([]);
  });

  it('header search submits to the search page', async () => {
    const { page, errors } = await openPage(h);
    await page.goto(`${h.url}/packages/`);
    await page.locator('#site-q').fill('django');
    await page.locator('#site-q').press('Enter');
    await page.waitForURL(/\/search\/\?q=django/);
    expect(page.url()).toContain('/search/?q=django');
    expect(await page.locator('main').textContent()).toContain('django');
    await screenshot(page, 'search');
    expect(errors).toEqual([]);
  });

  it('a misspelt query: the suggestions find the package, the results page says what it searched', async () => {
    const { page, errors } = await openPage(h);
    await page.goto(`${h.url}/`);
    await page.locator('#site-q').pressSequentially('celry', { delay: 30 });
    await page.locator('#search-suggestions a[href="/packages/p/django-celery/"]').first().waitFor();
    await page.locator('#site-q').press('Enter');
    await page.waitForURL(/\/search\/\?q=celry/);
    const notice = page.locator('.search-corrected');
    expect(await notice.textContent()).toContain('Including results for “celery”');
    expect(await page.locator('.search-results a[href="/packages/p/django-celery/"]').count()).toBe(1);
    await screenshot(page, 'search-corrected');
    await notice.getByRole('link', { name: 'celery' }).click();
    await page.waitForURL(/\/search\/\?q=celery$/);
    expect(await page.locator('.search-corrected').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('suggestions answer the keyboard: arrows move through them, Escape closes them, Enter opens one', async () => {
    const { page, errors } = await openPage(h);
    await page.goto(`${h.url}/grids/`);
    const input = page.locator('#site-q');
    await input.pressSequentially('taggit', { delay: 30 });
    const links = page.locator('#search-suggestions a');
    await links.first().waitFor();
    const focused = (): Promise<string | null> =>
      page.evaluate(() => document.activeElement?.getAttribute('href') ?? document.activeElement?.id ?? null);
    await input.press('ArrowDown');
    expect(await focused()).toBe(await links.nth(0).getAttribute('href'));
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe(await links.nth(1).getAttribute('href'));
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await focused()).toBe('site-q');
    await page.keyboard.press('Escape');
    expect(await links.count()).toBe(0);
    expect(await input.inputValue()).toBe('taggit');
    // Typing again brings them back; a click elsewhere closes them; the first one opens with Enter.
    await input.pressSequentially(' ');
    await links.first().waitFor();
    await page.locator('main').click({ position: { x: 5, y: 5 } });
    expect(await links.count()).toBe(0);
    await input.pressSequentially('x');
    await input.press('Backspace');
    await links.first().waitFor();
    const href = await links.first().getAttribute('href');
    await input.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === href);
    expect(errors).toEqual([]);
  });

  it('package page shows the commit chart and pages releases', async () => {
    const { page, errors } = await openPage(h);
    await page.goto(`${h.url}/packages/p/${packageSlug}/`);
    await page.getByRole('heading', { name: 'Repository activity' }).waitFor();
    expect(await page.locator('#releases').count()).toBe(1);
    expect(await page.locator('pre#badge-md').textContent()).toContain('img.shields.io');
    await screenshot(page, 'package');
    expect(errors).toEqual([]);
  });

  it('grid page renders 100 packages by 30 features and sorts through htmx', async () => {
    const { page, errors } = await openPage(h);
    await page.goto(`${h.url}/grids/g/big-grid/`);
    await page.locator('table.grid').waitFor();
    expect(await page.locator('table.grid thead th').count()).toBe(101);
    expect(await page.locator('table.grid tbody tr').count()).toBe(44);
    expect(await page.locator('table.grid tbody td').count()).toBe(4301);
    const sticky = await page
      .locator('table.grid thead th')
      .first()
      .evaluate((el) => getComputedStyle(el).position);
    expect(sticky).toBe('sticky');
    await screenshot(page, 'grid-100x30');
    await page.locator('#grid-table').getByRole('link', { name: 'Title', exact: true }).click();
    await page.waitForURL(/sort=title/);
    await page.locator('#grid-table strong', { hasText: 'Title' }).waitFor();
    const first = await page.locator('table.grid thead th:nth-child(2) a').first().textContent();
    const second = await page.locator('table.grid thead th:nth-child(3) a').first().textContent();
    expect(first).toBe('big-grid package 001');
    expect(second).toBe('big-grid package 002');
    await page.locator('#grid-q').fill('package 05');
    await page.waitForFunction(() => document.querySelectorAll('table.grid thead th').length === 11);
    await screenshot(page, 'grid-sorted-filtered');
    expect(errors).toEqual([]);
  });

  it('signs in through the fake GitHub, adds a package and edits a grid cell', async () => {
    h.oauth.set({ user: { id: 9001, login: 'browser-user', name: 'Browser User', email: 'b@example.org' } });
    const { page, errors } = await openPage(h);
    await page.goto(`${h.url}/grids/g/big-grid/`);
    await page.getByRole('link', { name: 'Sign in with GitHub' }).click();
    await page.getByRole('button', { name: 'Sign in with GitHub' }).click();
    await page.waitForURL(`${h.url}/grids/g/big-grid/`);
    expect(await page.getByRole('link', { name: 'browser-user' }).count()).toBe(1);
    await screenshot(page, 'signed-in');

    await page.goto(`${h.url}/packages/add/`);
    await page.getByLabel('Step 1: paste the repository URL').fill('https://github.com/Browser/Django-From-Browser');
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByRole('heading', { name: 'Step 2: check and save' }).waitFor();
    expect(await page.getByLabel('Slug').inputValue()).toBe('django-from-browser');
    await page.getByLabel('Title').fill('Django From Browser');
    await screenshot(page, 'add-package-step2');
    await page.getByRole('button', { name: 'Add package' }).click();
    await page.waitForURL(`${h.url}/packages/p/django-from-browser/`);
    await page.getByRole('heading', { name: 'Django From Browser' }).waitFor();
    await page.getByRole('button', { name: /Favourite/ }).click();
    await page.getByRole('button', { name: /★ Favourited \(1\)/ }).waitFor();
    await screenshot(page, 'package-added');

    await page.goto(`${h.url}/grids/g/big-grid/`);
    const cell = page.locator('table.grid td[id^="c"]').first();
    const id = await cell.getAttribute('id');
    await cell.getByRole('link', { name: 'edit' }).click();
    const box = page.locator(`#${id} textarea`);
    await box.waitFor();
    await box.fill('+2');
    await page.locator(`#${id}`).getByRole('button', { name: 'Save' }).click();
    await page.locator(`#${id} [aria-label="yes"]`).first().waitFor();
    expect(await page.locator(`#${id} [aria-label="yes"]`).count()).toBe(2);
    await screenshot(page, 'cell-edited');
    await page.reload();
    expect(await page.locator(`#${id} [aria-label="yes"]`).count()).toBe(2);
    expect(errors).toEqual([]);
  });
});
