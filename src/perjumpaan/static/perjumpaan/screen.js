/* The check-in screen: asks the server for the current code every few seconds and swaps the QR code.
   No dependencies; the page works without it too (it shows the code it was rendered with). */
(function () {
  "use strict";
  var root = document.querySelector("[data-screen]");
  if (!root) return;

  var url = root.getAttribute("data-code-url");
  var qr = document.getElementById("screen-qr");
  var timer = document.getElementById("screen-timer");
  var bar = document.getElementById("screen-bar");
  var message = document.getElementById("screen-message");
  var checkedIn = document.getElementById("screen-checked-in");
  var expected = document.getElementById("screen-expected");
  var countdown = document.getElementById("screen-countdown");
  var offline = document.getElementById("screen-offline");
  var fullscreen = document.getElementById("screen-fullscreen");

  var code = root.getAttribute("data-code") || "";
  var state = root.getAttribute("data-state");
  var codeSeconds = parseFloat(root.getAttribute("data-code-seconds")) || 15;
  var deadline = Date.now() + (parseFloat(root.getAttribute("data-expires-in")) || 1) * 1000;
  var lastSuccess = Date.now();
  var failures = 0;
  var pending = null;

  function schedule(seconds) {
    clearTimeout(pending);
    pending = setTimeout(poll, Math.max(300, seconds * 1000));
  }

  function show(element, visible) {
    element.classList.toggle("qr-hidden", !visible);
  }

  function apply(data) {
    failures = 0;
    lastSuccess = Date.now();
    offline.hidden = true;
    qr.classList.remove("qr-stale");
    if (data.code !== code) {
      qr.innerHTML = data.svg; // SVG made by the server (segno) from the check-in address
      code = data.code;
    }
    state = data.state;
    codeSeconds = data.code_seconds || codeSeconds;
    show(qr, state === "open");
    show(timer, state === "open");
    message.textContent = data.message;
    checkedIn.textContent = data.checked_in;
    expected.textContent = data.expected;
    deadline = Date.now() + data.expires_in * 1000;
    // Ask again when the code changes, and at least every five seconds for the live count.
    schedule(Math.min(data.expires_in + 0.15, 5));
  }

  function fail(loggedOut) {
    failures += 1;
    offline.textContent = root.getAttribute(loggedOut ? "data-label-login" : "data-label-offline");
    offline.hidden = false;
    // A code is accepted for two windows; after that the one on screen only disappoints.
    if (Date.now() - lastSuccess > 2 * codeSeconds * 1000) qr.classList.add("qr-stale");
    if (!loggedOut) schedule(Math.min(10, 1 + failures));
  }

  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.ok && type.indexOf("application/json") === 0) return response.json().then(apply);
        // A login page instead of JSON: the session has ended.
        fail(response.redirected || response.status === 401 || response.status === 403);
      })
      .catch(function () {
        fail(false);
      });
  }

  function tick() {
    var left = Math.max(0, (deadline - Date.now()) / 1000);
    if (state === "open") {
      countdown.textContent = root.getAttribute("data-label-countdown").replace("{s}", Math.ceil(left));
      bar.style.transform = "scaleX(" + Math.min(1, left / codeSeconds) + ")";
    } else {
      countdown.textContent = "";
    }
  }

  if (fullscreen) {
    if (!document.fullscreenEnabled) {
      fullscreen.hidden = true;
    }
    fullscreen.addEventListener("click", function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen().catch(function () {});
    });
  }

  // Keep a projector's laptop or a phone from dimming while people scan (HTTPS only; best effort).
  var wakeLock = null;
  function stayAwake() {
    if (navigator.wakeLock && document.visibilityState === "visible") {
      navigator.wakeLock.request("screen").then(function (lock) { wakeLock = lock; }, function () {});
    }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      stayAwake();
      poll();
    }
  });
  stayAwake();

  setInterval(tick, 250);
  tick();
  schedule(Math.min(Math.max(0, (deadline - Date.now()) / 1000) + 0.15, 5));
  void wakeLock;
})();
