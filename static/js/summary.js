// The summary page works without this file (保存草稿 posts the form). With it: the draft saves itself a moment
// after typing stops and when the page is hidden or left; every keystroke is also kept in localStorage, so a
// phone that locks, loses the network or reloads loses nothing; a question before submitting or overwriting.
(function () {
  "use strict";

  const form = document.getElementById("summary-form");
  if (!form || !window.fetch || !window.JSON) {
    return;
  }

  const DEBOUNCE_MS = 1500;
  const RETRY_MAX_MS = 30000;
  const statusBox = form.querySelector("[data-autosave-status]");
  const revisionInput = form.querySelector("input[name=base_revision]");
  const csrfInput = form.querySelector("input[name=csrf_token]");
  const url = form.getAttribute("data-autosave-url");
  const storageKey = form.getAttribute("data-storage-key");
  const text = function (name) { return form.getAttribute("data-text-" + name) || ""; };

  let timer = null;
  let retryDelay = 2000;
  let inFlight = false;
  let again = false;
  let stopped = false; // after a conflict: saving again would overwrite someone else's text
  let waitingSubmitter = null;
  let confirmed = false; // a submit resumed after an autosave was already confirmed
  let savedSnapshot = null;

  function normalise(value) {
    return String(value == null ? "" : value).replace(/\r\n?/g, "\n").trim();
  }

  function collect() {
    const fields = { narrative: {}, unit_figures: {}, corrections: {}, leaders_present: "" };
    form.querySelectorAll("textarea, input[type=text]").forEach(function (input) {
      const name = input.name;
      if (name.indexOf("section_") === 0) {
        fields.narrative[name.slice(8)] = input.value;
      } else if (name.indexOf("unit_") === 0) {
        fields.unit_figures[name.slice(5)] = input.value;
      } else if (name === "leaders_present") {
        fields.leaders_present = input.value;
      } else if (name.indexOf("correction:") === 0) {
        const key = name.slice(11);
        fields.corrections[key] = fields.corrections[key] || {};
        fields.corrections[key].corrected = input.value;
      } else if (name.indexOf("reason:") === 0) {
        const key = name.slice(7);
        fields.corrections[key] = fields.corrections[key] || {};
        fields.corrections[key].reason = input.value;
      }
    });
    return fields;
  }

  function snapshot(fields) {
    return JSON.stringify(fields, function (key, value) {
      return typeof value === "string" ? normalise(value) : value;
    });
  }

  function fill(fields) {
    form.querySelectorAll("textarea, input[type=text]").forEach(function (input) {
      const name = input.name;
      let value;
      if (name.indexOf("section_") === 0) {
        value = fields.narrative && fields.narrative[name.slice(8)];
      } else if (name.indexOf("unit_") === 0) {
        value = fields.unit_figures && fields.unit_figures[name.slice(5)];
      } else if (name === "leaders_present") {
        value = fields.leaders_present;
      } else if (name.indexOf("correction:") === 0) {
        const entry = fields.corrections && fields.corrections[name.slice(11)];
        value = entry && entry.corrected;
      } else if (name.indexOf("reason:") === 0) {
        const entry = fields.corrections && fields.corrections[name.slice(7)];
        value = entry && entry.reason;
      }
      if (typeof value === "string") {
        input.value = value;
      }
    });
  }

  function revision() {
    return parseInt(revisionInput.value, 10) || 0;
  }

  // Local copy: written at every change, removed once the server has the same text.

  function readLocal() {
    try {
      const raw = window.localStorage.getItem(storageKey);
      return raw ? JSON.parse(raw) : null;
    } catch (error) {
      return null;
    }
  }

  function writeLocal(extra) {
    try {
      const entry = { revision: revision(), at: Date.now(), fields: collect() };
      Object.assign(entry, extra || {});
      window.localStorage.setItem(storageKey, JSON.stringify(entry));
    } catch (error) {
      // Private mode or a full storage: autosave still works, only the offline copy is lost.
    }
  }

  function dropLocal() {
    try {
      window.localStorage.removeItem(storageKey);
    } catch (error) {
      // Nothing to do.
    }
  }

  function show(kind, message, button) {
    statusBox.className = "autosave-status " + kind;
    statusBox.textContent = message;
    if (button) {
      statusBox.append(button);
    }
  }

  function dirty() {
    return snapshot(collect()) !== savedSnapshot;
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, delay);
  }

  function save(options) {
    window.clearTimeout(timer);
    if (stopped) {
      return;
    }
    if (inFlight) {
      again = true;
      return;
    }
    const fields = collect();
    const sent = snapshot(fields);
    if (sent === savedSnapshot) {
      return;
    }
    inFlight = true;
    again = false;
    show("saving", text("saving"));
    const body = Object.assign({ base_revision: revision() }, fields);
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: Boolean(options && options.keepalive),
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrfInput ? csrfInput.value : ""
      },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        return { status: response.status, answer: answer };
      });
    }).then(function (result) {
      inFlight = false;
      const answer = result.answer || {};
      if (result.status === 200 && answer.ok) {
        retryDelay = 2000;
        revisionInput.value = String(answer.revision);
        savedSnapshot = sent;
        show("saved", text("saved").replace("{time}", answer.saved_at || ""));
        if (dirty()) {
          writeLocal();
          schedule(DEBOUNCE_MS);
        } else {
          // Kept, marked saved: a reload served before this save landed still finds the text here.
          writeLocal({ saved: true });
        }
      } else if (result.status === 409) {
        stopped = true;
        writeLocal();
        show("failed", answer.message || text("retrying"));
      } else if (result.status === 422 || result.status === 400 || result.status === 403) {
        // The server refused this content (e.g. a figure that is not a number): wait for the next change.
        writeLocal();
        show("failed", answer.message || text("unsaved"));
      } else {
        throw new Error("HTTP " + result.status);
      }
      resumeSubmit();
      if (again && !stopped) {
        schedule(0);
      }
    }).catch(function () {
      inFlight = false;
      writeLocal();
      show("failed", text("retrying"));
      retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
      schedule(retryDelay);
      resumeSubmit();
    });
  }

  // A form button pressed while an autosave is on its way waits for it, so the form carries the new revision.
  function resumeSubmit() {
    if (!waitingSubmitter) {
      return;
    }
    const submitter = waitingSubmitter;
    waitingSubmitter = null;
    confirmed = true;
    if (form.requestSubmit) {
      form.requestSubmit(submitter);
    } else {
      submitter.click();
    }
  }

  form.addEventListener("submit", function (event) {
    const submitter = event.submitter;
    if (!confirmed) {
      let question = submitter && submitter.getAttribute("data-confirm");
      if (submitter && submitter.value === "draft" && form.querySelector("[data-overwrite]:checked")) {
        question = text("overwrite");
      }
      if (question && !window.confirm(question)) {
        event.preventDefault();
        return;
      }
    }
    confirmed = false;
    if (inFlight) {
      event.preventDefault();
      waitingSubmitter = submitter || null;
      return;
    }
    window.clearTimeout(timer);
    // Kept until the next page shows the server has it: if this post is lost, the text is still here.
    writeLocal({ posted: true });
  });

  form.addEventListener("input", function (event) {
    if (event.target.matches("[data-overwrite]")) {
      return;
    }
    writeLocal();
    if (!stopped) {
      show("unsaved", text("unsaved"));
      schedule(DEBOUNCE_MS);
    }
  });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && dirty()) {
      writeLocal();
      save({ keepalive: true });
    }
  });

  window.addEventListener("pagehide", function () {
    if (!dirty() || stopped || inFlight) {
      return;
    }
    writeLocal();
    if (navigator.sendBeacon) {
      // A form body carries the CSRF token (a beacon cannot set headers); the server takes both forms.
      const data = new FormData(form);
      data.delete("action");
      navigator.sendBeacon(url, data);
    } else {
      save({ keepalive: true });
    }
  });

  window.addEventListener("online", function () {
    if (dirty() && !stopped) {
      schedule(0);
    }
  });

  // On load: the server's text is what was saved; a local copy that differs may not have been.
  savedSnapshot = snapshot(collect());
  const local = readLocal();
  const current = revision();
  if (local && local.fields) {
    const same = snapshot(local.fields) === savedSnapshot;
    if (same || (local.saved && local.revision <= current) || (local.posted && local.revision < current)) {
      // The server has this text, or newer.
      dropLocal();
    } else if (local.revision > current) {
      // This page was served before the last save landed: the local copy is the newer, and was saved.
      fill(local.fields);
      revisionInput.value = String(local.revision);
      if (local.saved) {
        savedSnapshot = snapshot(local.fields);
      } else {
        show("unsaved", text("restored"));
        schedule(0);
      }
    } else if (local.revision === current) {
      fill(local.fields);
      show("unsaved", text("restored"));
      schedule(0);
    } else {
      const restore = document.createElement("button");
      restore.type = "button";
      restore.className = "small";
      restore.textContent = text("restore");
      restore.addEventListener("click", function () {
        fill(local.fields);
        show("unsaved", text("restored"));
        schedule(0);
      });
      const discard = document.createElement("button");
      discard.type = "button";
      discard.className = "small";
      discard.textContent = text("discard");
      discard.addEventListener("click", function () {
        dropLocal();
        show("saved", "");
      });
      show("failed", text("older"), restore);
      statusBox.append(discard);
    }
  }
})();
