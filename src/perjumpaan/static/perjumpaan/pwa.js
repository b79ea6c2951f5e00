/* Registers the service worker (core/pwa.py) so that the app installs and shows a page when offline. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script) {
    return;
  }
  var url = script.dataset.worker;
  var scope = script.dataset.scope || "/";
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(url, { scope: scope }).catch(function () {
      /* No worker (private mode, old browser): the site works as before, only not offline. */
    });
  });
})();
