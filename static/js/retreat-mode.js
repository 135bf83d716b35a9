// Retreat mode: one screen at a time, next/previous by keyboard and by the screens' own
// links. Without this script every screen is a plain anchor on one long page.
"use strict";
(function () {
  var root = document.querySelector("[data-retreat]");
  if (!root) { return; }
  var screens = Array.prototype.slice.call(root.querySelectorAll(".screen"));
  if (!screens.length) { return; }
  document.body.classList.add("retreat-js");
  var help = root.querySelector("[data-retreat-help]");
  if (help) { help.hidden = false; }

  function indexFromHash() {
    var match = /^#screen-(\d+)$/.exec(window.location.hash);
    var index = match ? parseInt(match[1], 10) : 0;
    return Math.min(Math.max(index, 0), screens.length - 1);
  }

  var current = -1;
  function show(index, focus) {
    index = Math.min(Math.max(index, 0), screens.length - 1);
    screens.forEach(function (screen, i) { screen.classList.toggle("current", i === index); });
    current = index;
    // Moving writes the screen into the address (a reload comes back to it); opening the
    // page leaves the address as it was.
    if (focus && window.location.hash !== "#screen-" + index) {
      history.replaceState(null, "", "#screen-" + index);
    }
    if (focus) {
      screens[index].setAttribute("tabindex", "-1");
      screens[index].focus({ preventScroll: true });
    }
    window.scrollTo(0, 0);
  }

  root.addEventListener("click", function (event) {
    var link = event.target.closest("[data-step]");
    if (!link) { return; }
    event.preventDefault();
    show(current + parseInt(link.getAttribute("data-step"), 10), true);
  });

  var fullscreen = root.querySelector("[data-fullscreen]");
  function toggleFullscreen() {
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
  }
  if (fullscreen) { fullscreen.addEventListener("click", toggleFullscreen); }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") { return; }
    var key = event.key;
    if (key === "ArrowRight" || key === "PageDown" || key === " " || key === "ArrowDown") {
      event.preventDefault(); show(current + 1, true);
    } else if (key === "ArrowLeft" || key === "PageUp" || key === "ArrowUp") {
      event.preventDefault(); show(current - 1, true);
    } else if (key === "Home") {
      event.preventDefault(); show(0, true);
    } else if (key === "End") {
      event.preventDefault(); show(screens.length - 1, true);
    } else if (key === "f" || key === "F") {
      toggleFullscreen();
    }
  });
  window.addEventListener("hashchange", function () { show(indexFromHash(), false); });
  show(indexFromHash(), false);
})();
