// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // "Add another" for Django formsets: <button data-formset-add="prefix">, <template data-formset-template="prefix">.
  document.querySelectorAll("[data-formset-add]").forEach(function (button) {
    var prefix = button.getAttribute("data-formset-add");
    var template = document.querySelector('[data-formset-template="' + prefix + '"]');
    var list = document.querySelector('[data-formset-list="' + prefix + '"]');
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    if (!template || !list || !total) return;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      list.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
    });
  });

  // Show a block only while a checkbox is ticked: <div data-show-when="checkbox-id">.
  document.querySelectorAll("[data-show-when]").forEach(function (block) {
    var box = document.getElementById(block.getAttribute("data-show-when"));
    if (!box) return;
    var sync = function () { block.hidden = !box.checked; };
    box.addEventListener("change", sync);
    sync();
  });
})();
