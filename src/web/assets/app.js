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
// Header search suggestions: ArrowDown/ArrowUp move between the box and the suggestions, Escape or a click
// elsewhere closes them (the list itself comes from htmx as the user types).
function closeSuggestions(box) {
  if (box && box.firstChild) box.innerHTML = '';
}
document.addEventListener('keydown', function (e) {
  var box = document.getElementById('search-suggestions');
  var input = document.getElementById('site-q');
  if (!box || !input || (e.target !== input && !box.contains(e.target))) return;
  if (e.key === 'Escape') {
    // The first Escape closes the list and keeps the text; with no list open, the box clears as usual.
    if (!box.firstChild) return;
    e.preventDefault();
    closeSuggestions(box);
    input.focus();
    return;
  }
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  var links = Array.prototype.slice.call(box.querySelectorAll('a'));
  if (!links.length) return;
  e.preventDefault();
  var next = links.indexOf(document.activeElement) + (e.key === 'ArrowDown' ? 1 : -1);
  if (next < 0) input.focus();
  else links[Math.min(next, links.length - 1)].focus();
});
document.addEventListener('click', function (e) {
  var box = document.getElementById('search-suggestions');
  var form = box ? box.closest('form') : null;
  if (form && e.target instanceof Element && !form.contains(e.target)) closeSuggestions(box);
});
