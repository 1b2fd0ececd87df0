// The reminders page works without this file (the text can be selected and copied by hand). With it: a button
// that copies the reminder text in one tap, for pasting into the units' WeChat group.
(function () {
  "use strict";

  function fallbackCopy(field) {
    // Older WeChat browsers have no async clipboard; a selected read-only textarea copies with execCommand.
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length);
    return document.execCommand("copy");
  }

  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    const field = document.getElementById(button.getAttribute("data-copy-target"));
    const status = button.parentElement.querySelector(".copy-status");
    if (!field) {
      return;
    }
    button.hidden = false;

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    button.addEventListener("click", async function () {
      let copied = false;
      try {
        if (navigator.clipboard && window.isSecureContext) {
          await navigator.clipboard.writeText(field.value);
          copied = true;
        } else {
          copied = fallbackCopy(field);
        }
      } catch (error) {
        copied = fallbackCopy(field);
      }
      say(copied ? button.getAttribute("data-copied") : button.getAttribute("data-copy-failed"));
    });
  });
})();
