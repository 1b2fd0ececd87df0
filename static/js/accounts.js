// The link sheet: print it, and copy the text for the WeChat group. Both work without this script too (the
// browser's own print command, selecting the text by hand).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
document.querySelectorAll("[data-copy]").forEach(function (button) {
  button.addEventListener("click", function () {
    var text = document.getElementById(button.getAttribute("data-copy"));
    text.select();
    var done = function () { button.textContent = button.getAttribute("data-done") || "✓"; };
    if (navigator.clipboard) {
      navigator.clipboard.writeText(text.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });
});
// The invite page: "tick all" and "tick none" for the unit list.
document.querySelectorAll("[data-tick]").forEach(function (button) {
  button.addEventListener("click", function () {
    var on = button.getAttribute("data-tick") === "all";
    document.querySelectorAll("input[name=unit]").forEach(function (box) { box.checked = on; });
  });
});
// A button that asks first (a password reset ends the owner's password and sessions at once).
document.addEventListener("submit", function (event) {
  var button = event.submitter || event.target.querySelector("[data-confirm]");
  var question = button && button.getAttribute("data-confirm");
  if (question && !window.confirm(question)) { event.preventDefault(); }
});
