/* The public site's small enhancements; everything works without them (reading, forms, links).
   - text size (大 / 中 / 小), remembered in this browser;
   - read-aloud of an article with the browser's own speech synthesis (zh-CN), where the browser has it;
   - print. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "sunlight-font-size";
  function setSize(size) {
    if (size === "medium") { root.removeAttribute("data-font-size"); } else { root.setAttribute("data-font-size", size); }
    document.querySelectorAll("[data-font-size]").forEach(function (b) {
      if (b.tagName === "BUTTON") { b.setAttribute("aria-pressed", String(b.dataset.fontSize === size)); }
    });
    try { localStorage.setItem(KEY, size); } catch (e) { /* private mode */ }
  }
  var saved = null;
  try { saved = localStorage.getItem(KEY); } catch (e) { saved = null; }
  if (saved === "large" || saved === "small") { root.setAttribute("data-font-size", saved); }
  document.addEventListener("DOMContentLoaded", function () {
    var tools = document.querySelector("[data-tools]");
    if (tools) { tools.hidden = false; }
    setSize(saved === "large" || saved === "small" ? saved : "medium");
    document.querySelectorAll("button[data-font-size]").forEach(function (b) {
      b.addEventListener("click", function () { setSize(b.dataset.fontSize); });
    });
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
    var main = document.getElementById("main");
    if (main) { main.setAttribute("data-print-url", location.href); }
    if ("speechSynthesis" in window && "SpeechSynthesisUtterance" in window) {
      document.querySelectorAll("[data-read-aloud]").forEach(function (b) {
        var target = document.querySelector(b.dataset.readAloud);
        if (!target) { return; }
        var reading = false, startLabel = b.textContent, stopLabel = b.dataset.stopLabel || "停止朗读";
        b.hidden = false;
        b.setAttribute("aria-pressed", "false");
        b.addEventListener("click", function () {
          window.speechSynthesis.cancel();
          if (reading) { reading = false; b.textContent = startLabel; b.setAttribute("aria-pressed", "false"); return; }
          var title = document.querySelector("h1");
          var utterance = new SpeechSynthesisUtterance((title ? title.textContent + "。" : "") + target.innerText);
          utterance.lang = "zh-CN";
          utterance.onend = function () { reading = false; b.textContent = startLabel; b.setAttribute("aria-pressed", "false"); };
          reading = true;
          b.textContent = stopLabel;
          b.setAttribute("aria-pressed", "true");
          window.speechSynthesis.speak(utterance);
        });
      });
    }
  });
})();
