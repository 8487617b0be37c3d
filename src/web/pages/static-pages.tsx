import type { VNode } from 'preact';

/** A fixed page: path, title and body. */
export interface StaticPage {
  path: string;
  title: string;
  body: (site: string) => VNode;
}

function about(site: string): VNode {
  return (
    <>
      <h1>About {site}</h1>
      <p>
        {site} is a directory of reusable packages. Browse categories, compare packages side by side in grids, read metrics fetched from the
        code hosts and PyPI, and add what is missing. It is a successor of Django Packages, with a wire-compatible API at{' '}
        <a href="/api/v4/">/api/v4/</a>.
      </p>
      <h2 id="faq">Frequently asked questions</h2>
      <h3>How do I add a package?</h3>
      <p>
        Sign in with GitHub, then use <a href="/packages/add/">Add package</a>: paste the repository URL and we fill in the rest. The first
        fetch of its metrics starts at once.
      </p>
      <h3>What is the score?</h3>
      <p>
        The stars of the repository, less a tenth of them for every three months without a commit and 30% (up to 1000) if the package does
        not declare Python 3 support; never below −500. Every package has a page explaining its score.
      </p>
      <h3>How are grid cells written?</h3>
      <p>
        Write <code>yes</code>, <code>no</code>, <code>+2</code> or <code>--</code> to get check and cross icons; links are linked and new
        lines kept. Everything else is shown as plain text.
      </p>
      <h3>Something is wrong with a package.</h3>
      <p>Use the Flag link on its page; staff review every flag.</p>
    </>
  );
}

/** The about, FAQ, terms and acceptable-use pages. */
export const STATIC_PAGES: readonly StaticPage[] = [
  { path: '/about/', title: 'About', body: about },
  { path: '/faq/', title: 'FAQ', body: about },
  {
    path: '/terms/',
    title: 'Terms of service',
    body: (site) => (
      <>
        <h1>Terms of service</h1>
        <p>
          {site} is offered as is. Package data comes from public code hosts and PyPI. What you add (packages, grids, cells, examples) is
          published under the same open terms as the rest of the site and may be edited by others. See also the{' '}
          <a href="/acceptable-use/">acceptable use policy</a>.
        </p>
      </>
    ),
  },
  {
    path: '/acceptable-use/',
    title: 'Acceptable use',
    body: () => (
      <>
        <h1>Acceptable use</h1>
        <p>
          No spam, no advertising links in "sites using this package", no automated mass edits. Staff may remove content and accounts that
          break these rules.
        </p>
      </>
    ),
  },
];
