// Progressive enhancement only; every page works without it. Sends the CSRF token with htmx requests.
document.addEventListener('htmx:configRequest', function (e) {
  var m = document.querySelector('meta[name="csrf-token"]');
  if (m) e.detail.headers['X-CSRFToken'] = m.getAttribute('content');
});
