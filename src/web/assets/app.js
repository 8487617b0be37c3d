// Progressive enhancement only; every page works without it. Sends the CSRF token with htmx requests.
document.addEventListener('htmx:configRequest', function (e) {
  var m = document.querySelector('meta[name="csrf-token"]');
  if (m) e.detail.headers['X-CSRFToken'] = m.getAttribute('content');
});
// Grid cells: one delegated listener instead of htmx attributes on thousands of edit links.
document.addEventListener('click', function (e) {
  var a = e.target instanceof Element ? e.target.closest('table.grid a.cell-edit[href^="/grids/element/"]') : null;
  if (!a || !window.htmx || e.ctrlKey || e.metaKey || e.shiftKey) return;
  var td = a.closest('td');
  if (!td) return;
  e.preventDefault();
  window.htmx.ajax('GET', a.getAttribute('href'), { target: td, swap: 'outerHTML' });
});
