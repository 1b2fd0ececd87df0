// The report pages work without this file (the compile button posts a form, the page reloads itself while a job
// runs). With it: a question before deleting, the compile button starts the job without leaving the page, and the
// progress bar follows the job by polling its JSON status.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    const button = event.submitter || event.target.querySelector("[data-confirm]");
    const question = button && button.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  const box = document.querySelector("[data-job]");
  const form = document.querySelector("form[data-compile]");
  if (!box || !form || !window.fetch) {
    return;
  }
  const button = form.querySelector("button[type=submit]");
  let failures = 0;
  let timer = null;

  function element(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.keys(attrs).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  // The markup the server renders for a job, built here when the first job starts on this page.
  function ensureParts() {
    if (box.querySelector("progress")) {
      return;
    }
    box.textContent = "";
    const bar = element("progress", { max: "100", value: "0", "aria-label": box.getAttribute("data-progress-label") || "" });
    box.append(bar, element("span", { "data-job-percent": "" }, "0%"), " ",
      element("span", { class: "badge", "data-job-status": "" }), " ", element("span", { class: "step", "data-job-step": "" }));
  }

  function show(state) {
    ensureParts();
    const bar = box.querySelector("progress");
    bar.value = state.progress;
    bar.textContent = state.progress + "%";
    box.querySelector("[data-job-percent]").textContent = state.progress + "%";
    const status = box.querySelector("[data-job-status]");
    status.textContent = state.status_label;
    status.className = "badge" + (state.status === "failed" ? " bad" : state.status === "done" ? " ok" : "");
    box.querySelector("[data-job-step]").textContent = state.active ? state.step_label : "";
    button.disabled = state.active;
  }

  function poll(url) {
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (state) {
        failures = 0;
        show(state);
        if (state.active) {
          timer = window.setTimeout(function () { poll(url); }, 1500);
        } else if (state.status === "done" || state.status === "failed") {
          // The new export, or what went wrong, as the server renders it.
          window.location.reload();
        }
      })
      .catch(function () {
        failures += 1;
        const step = box.querySelector("[data-job-step]");
        if (step) {
          step.textContent = box.getAttribute("data-offline-text") || "";
        }
        timer = window.setTimeout(function () { poll(url); }, 1500 * Math.min(1 + failures, 8));
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    const token = form.querySelector("input[name=csrf_token]").value;
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token },
      body: new FormData(form),
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (state) {
        const url = form.action.replace(/\/compile$/, "/jobs/" + state.id);
        box.setAttribute("data-status-url", url);
        show(state);
        window.clearTimeout(timer);
        poll(url);
      })
      .catch(function () {
        // Let the plain form do it: the server answers with the page and the job's state.
        form.submit();
      });
  });

  if (box.getAttribute("data-active") === "1" && box.getAttribute("data-status-url")) {
    poll(box.getAttribute("data-status-url"));
  }
})();
