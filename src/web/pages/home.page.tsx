import type { VNode } from 'preact';
import { PackageShortList } from '../components.js';
import type { CategoryInfo, GridSummary, PackageSummary } from '../listing.repository.js';

/** Everything the home page shows. */
export interface HomeData {
  headerGrids: GridSummary[];
  categories: CategoryInfo[];
  latestReleases: PackageSummary[];
  latestAdded: PackageSummary[];
  mostLiked: PackageSummary[];
  packageCount: number;
}

/** The home page body. */
export function HomePage({ d, tz }: { d: HomeData; tz: string }): VNode {
  const half = Math.ceil(d.headerGrids.length / 2);
  return (
    <>
      <section class="hero">
        <h1>Find and compare reusable packages</h1>
        <form method="get" action="/search/" role="search">
          <label for="hero-q" class="skip">
            Search
          </label>
          <input id="hero-q" type="search" name="q" placeholder={`Search ${d.packageCount.toLocaleString('en-US')} packages and grids`} />
          <button type="submit">Search</button>
        </form>
      </section>
      <section aria-labelledby="h-grids">
        <h2 id="h-grids">Comparison grids</h2>
        <div class="grid2">
          {[d.headerGrids.slice(0, half), d.headerGrids.slice(half)].map((col, i) => (
            <ul class="plain" key={i}>
              {col.map((g) => (
                <li key={g.id}>
                  <a href={`/grids/g/${encodeURIComponent(g.slug)}/`}>{g.title}</a> <span class="muted">{g.packageCount} packages</span>
                </li>
              ))}
            </ul>
          ))}
        </div>
        <p>
          <a href="/grids/">All grids →</a>
        </p>
      </section>
      <section aria-labelledby="h-cats">
        <h2 id="h-cats">Categories</h2>
        <div class="grid2">
          {d.categories.slice(0, 4).map((c) => (
            <div class="card" key={c.id}>
              <h3>
                <a href={`/categories/${encodeURIComponent(c.slug)}/`}>{c.titlePlural || c.title}</a>
              </h3>
              <p class="muted">{c.description}</p>
              <p>{c.packageCount.toLocaleString('en-US')} packages</p>
            </div>
          ))}
        </div>
      </section>
      <div class="grid2">
        <section class="card" aria-labelledby="h-rel">
          <h2 id="h-rel">Latest releases</h2>
          <PackageShortList items={d.latestReleases} tz={tz} show="release" />
        </section>
        <section class="card" aria-labelledby="h-new">
          <h2 id="h-new">Latest added</h2>
          <PackageShortList items={d.latestAdded} tz={tz} show="created" />
          <p>
            <a href="/packages/latest/">View more →</a>
          </p>
        </section>
        <section class="card" aria-labelledby="h-liked">
          <h2 id="h-liked">Most liked</h2>
          <PackageShortList items={d.mostLiked} tz={tz} show="likes" />
          <p>
            <a href="/packages/liked/">View more →</a>
          </p>
        </section>
      </div>
    </>
  );
}
