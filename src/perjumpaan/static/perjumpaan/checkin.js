/* The check-in button: asks the phone for its location when the gathering's rules want it, and when the
   connection drops, keeps the form and tries again while the scanned code is still valid.
   Without JavaScript the form still posts the ordinary way. */
(function () {
  "use strict";
  var form = document.getElementById("checkin-form");
  if (!form || !window.fetch || !window.FormData) return;

  var mode = form.getAttribute("data-location") || "off";
  var validFor = parseFloat(form.getAttribute("data-valid-for")) || 0;
  // Measured from when the page was loaded, on the phone's own clock: a wrong clock does not matter.
  var deadline = Date.now() + validFor * 1000;
  var progress = document.getElementById("checkin-progress");
  var button = form.querySelector("button[type=submit]");
  var attempts = 0;
  var busy = false;

  function say(label, n) {
    progress.textContent = (form.getAttribute(label) || "").replace("{n}", n || "");
  }

  function locate() {
    return new Promise(function (resolve) {
      if (mode === "off" || !navigator.geolocation) return resolve();
      say("data-label-locating");
      navigator.geolocation.getCurrentPosition(
        function (position) {
          form.elements.latitude.value = position.coords.latitude;
          form.elements.longitude.value = position.coords.longitude;
          resolve();
        },
        // Refused or unavailable: send without it; the server says what the office's rules make of that.
        function () { resolve(); },
        { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 }
      );
    });
  }

  function showAnswer(html) {
    // The server answered (a mark, or a refusal with its reason): show its page as it is.
    var page = new DOMParser().parseFromString(html, "text/html");
    var main = page.querySelector("main");
    if (main) {
      document.querySelector("main").replaceWith(main);
      document.title = page.title;
      window.scrollTo(0, 0);
    } else {
      document.open();
      document.write(html);
      document.close();
    }
  }

  function send() {
    attempts += 1;
    fetch(form.action || window.location.href, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        return response.text().then(showAnswer);
      })
      .catch(function () {
        // No answer at all: the connection dropped. The server may have recorded the first try; a
        // repeat then changes nothing, so trying again is always safe.
        if (Date.now() + 1500 < deadline) {
          say("data-label-retrying", attempts + 1);
          setTimeout(send, Math.min(1000 * attempts, 4000));
        } else {
          say("data-label-expired");
          busy = false;
          button.disabled = false;
        }
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return;
    busy = true;
    button.disabled = true;
    attempts = 0;
    locate().then(function () {
      say("data-label-sending");
      send();
    });
  });
})();
