// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  // Submit the language form as soon as a language is picked.
  document.querySelectorAll(".language-form select, .membership-form select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // Focus the first new input after an HTMX swap adds a row, so typing can go on.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var input = event.target.querySelector("[data-autofocus]");
    if (input) { input.focus(); }
  });
});
