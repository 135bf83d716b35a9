// The retreat pack's print button: shown only when scripts run (the browser's own Print
// command is the fallback, and the page says so).
"use strict";
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
