// Progressive enhancement only; every page works without it. Sends the CSRF token with htmx requests.
document.addEventListener('htmx:configRequest', function (e) {
  var m = document.querySelector('meta[name="csrf-token"]');
  if (m) e.detail.headers['X-CSRFToken'] = m.getAttribute('content');
});
// Grid cells: one delegated listener instead of htmx attributes on thousands of edit links. A cell's link is
// "?edit=P-F" (it works without JavaScript too); the cell editor lives under the table's data-cell-base.
document.addEventListener('click', function (e) {
  var a = e.target instanceof Element ? e.target.closest('table.grid[data-cell-base] a.cell-edit[href^="?edit="]') : null;
  if (!a || !window.htmx || e.ctrlKey || e.metaKey || e.shiftKey) return;
  var td = a.closest('td');
  var table = a.closest('table.grid');
  var ids = /^\?edit=(\d+)-(\d+)$/.exec(a.getAttribute('href') || '');
  if (!td || !table || !ids) return;
  e.preventDefault();
  window.htmx.ajax('GET', table.getAttribute('data-cell-base') + ids[1] + '/' + ids[2] + '/', { target: td, swap: 'outerHTML' });
});
