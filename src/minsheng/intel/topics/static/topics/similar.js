// "Copy into the draft": put a similar case's decision text into the form's opinion field.
// Without JavaScript the buttons stay hidden and the full text can be selected and copied.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-from]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy-from"));
    var target = document.getElementById(button.getAttribute("data-copy-to"));
    if (!source || !target) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = source.textContent.trim();
      target.value = target.value.trim() ? target.value.replace(/\s+$/, "") + "\n\n" + text : text;
      target.dispatchEvent(new Event("input", { bubbles: true }));
      target.focus();
    });
  });
})();
