// The citizens' portal: small enhancements; every page works without them.
(function () {
  "use strict";

  // <button data-print>: print the page (e.g. to keep a query code or receipt on paper).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // An error summary takes the focus, so screen readers announce it and keyboards start there.
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) summary.focus();

  // Show a block only while a radio group has a given value:
  // <div data-show-radio="name" data-show-value="0">.
  document.querySelectorAll("[data-show-radio]").forEach(function (block) {
    var radios = document.querySelectorAll('input[type=radio][name="' + block.getAttribute("data-show-radio") + '"]');
    var wanted = block.getAttribute("data-show-value");
    var sync = function () {
      var shown = false;
      radios.forEach(function (radio) { if (radio.checked && radio.value === wanted) shown = true; });
      block.hidden = !shown;
    };
    radios.forEach(function (radio) { radio.addEventListener("change", sync); });
    sync();
  });

  // <button data-copy="selector">: copy a code to the clipboard, and say so.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) { button.hidden = true; return; }
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        var done = button.getAttribute("data-copied");
        if (done) button.textContent = done;
      });
    });
  });
})();
