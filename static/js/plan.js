// The plan pages work without this file. With it: a question before deleting or issuing, and a filter
// over the long unit lists of the activity form.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    const button = event.submitter || event.target.querySelector("[data-confirm]");
    const question = button && button.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  const pickers = document.querySelectorAll("[data-unit-picker]");
  if (!pickers.length) {
    return;
  }
  const box = document.createElement("div");
  box.className = "field unit-filter-box";
  const label = document.createElement("label");
  label.htmlFor = "unit-filter";
  label.textContent = document.documentElement.lang === "en" ? "Find a unit" : "查找单位";
  const input = document.createElement("input");
  input.type = "search";
  input.id = "unit-filter";
  input.autocomplete = "off";
  box.append(label, input);
  pickers[0].before(box);

  input.addEventListener("input", function () {
    const words = input.value.trim();
    pickers.forEach(function (picker) {
      picker.querySelectorAll(".unit-kind").forEach(function (kind) {
        let shown = 0;
        kind.querySelectorAll("label").forEach(function (item) {
          const match = !words || item.textContent.includes(words) || item.querySelector("input").checked;
          item.hidden = !match;
          shown += match ? 1 : 0;
        });
        kind.hidden = shown === 0;
      });
    });
  });
})();
