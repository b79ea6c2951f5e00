// The Friday evaluation on a phone (templates/evaluation/assess.html and fill.html).
//
// - Keeps what was chosen or typed in this browser (localStorage, one entry per assessment) until it
//   is sent, so a dropped connection, a phone call or a closed tab loses nothing.
// - Shows how many items are answered, and after a failed submit brings the first item at fault into view.
// - Forgets the draft once the server has accepted it: the page after a successful submit is another
//   one (the next person, or the list), and the list names the assessments already sent.
//
// A static file, never an inline script (the Content-Security-Policy forbids those).
(function () {
  "use strict";

  var PREFIX = "perjumpaan-evaluasi-";
  var SENT = "perjumpaan-evaluasi-sent";
  var storage = null;
  var session = null;
  try {
    storage = window.localStorage;
    session = window.sessionStorage;
    storage.getItem(PREFIX);
  } catch (error) {
    storage = null;
    session = null;
  }

  function read(key) {
    if (!storage) return {};
    try {
      return JSON.parse(storage.getItem(key) || "{}") || {};
    } catch (error) {
      return {};
    }
  }

  var form = document.getElementById("eval-form");

  // A draft sent from the previous page is forgotten once we are on another page without an error.
  if (session && storage) {
    var sent = session.getItem(SENT);
    var failed = document.getElementById("eval-error");
    if (sent) {
      // Back on the same form with an error: the submit failed, the draft stays.
      if (!(failed && form && form.getAttribute("data-key") === sent)) storage.removeItem(sent);
      session.removeItem(SENT);
    }
  }

  var list = document.getElementById("eval-list");
  if (list && storage) {
    (list.getAttribute("data-done") || "").split(/\s+/).forEach(function (id) {
      if (id) storage.removeItem(PREFIX + id);
    });
  }

  if (!form) return;
  var key = form.getAttribute("data-key");
  var progress = document.getElementById("eval-progress");
  var total = progress ? parseInt(progress.getAttribute("data-total"), 10) || 0 : 0;

  function groups() {
    var names = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[type=radio]"), function (input) {
      names[input.name] = true;
    });
    return Object.keys(names);
  }

  function restore() {
    var saved = read(key);
    Object.keys(saved).forEach(function (name) {
      var value = saved[name];
      var radios = form.querySelectorAll('input[type=radio][name="' + name + '"]');
      if (radios.length) {
        // The page's own choice (after a failed submit) wins over the stored draft.
        if (form.querySelector('input[type=radio][name="' + name + '"]:checked')) return;
        Array.prototype.forEach.call(radios, function (radio) {
          if (radio.value === value) radio.checked = true;
        });
        return;
      }
      var area = form.querySelector('textarea[name="' + name + '"]');
      if (area && !area.value) area.value = value;
    });
  }

  function save() {
    if (!storage || !key) return;
    var data = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[type=radio]:checked"), function (input) {
      data[input.name] = input.value;
    });
    Array.prototype.forEach.call(form.querySelectorAll("textarea"), function (area) {
      if (area.value) data[area.name] = area.value;
    });
    try {
      storage.setItem(key, JSON.stringify(data));
    } catch (error) {
      // Storage full or refused: the form still works, only without the draft.
    }
  }

  function update() {
    if (!progress) return;
    var answered = 0;
    groups().forEach(function (name) {
      var chosen = form.querySelector('input[type=radio][name="' + name + '"]:checked');
      if (chosen) {
        answered += 1;
        var item = chosen.closest(".eval-item");
        if (item) item.classList.remove("has-error");
      }
    });
    progress.textContent = progress
      .getAttribute("data-label")
      .replace("{n}", String(answered))
      .replace("{total}", String(total));
    progress.classList.toggle("is-complete", answered === total && total > 0);
  }

  restore();
  update();
  form.addEventListener("change", function () {
    save();
    update();
  });
  form.addEventListener("input", save);
  form.addEventListener("submit", function () {
    save();
    if (session && key) session.setItem(SENT, key);
  });

  var firstError = form.querySelector(".has-error");
  if (firstError && firstError.scrollIntoView) {
    firstError.scrollIntoView({ block: "center" });
  }
})();
