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

  // The activity form: a tap on a unit's name in the reference list adds it to the role field last used
  // (lead units by default), after a 顿号, before a trailing 等; a filter finds a name among 60.
  const reference = document.querySelector("[data-unit-reference]");
  if (!reference) {
    return;
  }
  const roleFields = document.querySelectorAll("[data-role-field]");
  let target = roleFields[0];
  roleFields.forEach(function (field) {
    field.addEventListener("focus", function () {
      target = field;
    });
  });
  reference.addEventListener("click", function (event) {
    const button = event.target.closest("[data-name]");
    if (!button || !target) {
      return;
    }
    const name = button.getAttribute("data-name");
    let text = target.value.trim();
    const etc = /等$/.test(text);
    text = text.replace(/等$/, "");
    const names = text.split(/[、，,；;\s]+/).filter(Boolean);
    if (names.indexOf(name) === -1) {
      names.push(name);
    }
    target.value = names.join("、") + (etc ? "等" : "");
    target.focus();
  });

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
  reference.querySelector("summary").after(box);

  input.addEventListener("input", function () {
    const words = input.value.trim();
    reference.querySelectorAll(".unit-kind").forEach(function (kind) {
      let shown = 0;
      kind.querySelectorAll("[data-name]").forEach(function (item) {
        const match = !words || item.textContent.includes(words);
        item.hidden = !match;
        shown += match ? 1 : 0;
      });
      kind.hidden = shown === 0;
    });
  });
})();
