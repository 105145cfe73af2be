// Kiosk guard for the student window: runs before any page script.
// Refuses the browser's own shortcuts, menus, selection, drag-and-drop,
// clipboard, printing, zoom and history navigation.
(function () {
  "use strict";
  if (window.__vprKioskGuard) return;
  Object.defineProperty(window, "__vprKioskGuard", { value: true });

  var blockedCtrl = ["r", "w", "p", "o", "l", "s", "n", "t", "u", "f", "g", "h", "j", "d", "e", "q",
    "+", "-", "=", "0", "_", "c", "x", "v", "a", "i", "k"];
  var stop = function (e) { e.preventDefault(); e.stopImmediatePropagation(); return false; };
  var isField = function (t) {
    return !!t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable ||
      (t.getAttribute && t.getAttribute("role") === "textbox"));
  };

  window.addEventListener("keydown", function (e) {
    var key = (e.key || "").toLowerCase();
    var ctrl = e.ctrlKey || e.metaKey;
    if (/^f([1-9]|1[0-9]|2[0-4])$/.test(key)) return stop(e);              // F1..F24 (F5, F11, F12)
    if (ctrl && e.shiftKey && (key === "i" || key === "j" || key === "c" || key === "k")) return stop(e);
    if (ctrl && blockedCtrl.indexOf(key) !== -1) {
      // Ctrl+A inside a text field selects the student's own answer: allowed.
      if (key === "a" && isField(e.target)) return;
      return stop(e);
    }
    if (e.altKey && (key === "arrowleft" || key === "arrowright" || key === "home" || key === "f4")) return stop(e);
    if (key === "browserback" || key === "browserforward" || key === "browserrefresh" || key === "contextmenu") return stop(e);
    if (key === "backspace" && !isField(e.target)) return stop(e);
  }, true);

  ["contextmenu", "dragstart", "drop", "dragover", "copy", "cut", "paste", "beforeprint", "auxclick"]
    .forEach(function (type) { window.addEventListener(type, stop, true); });
  window.addEventListener("selectstart", function (e) { if (!isField(e.target)) stop(e); }, true);
  window.addEventListener("wheel", function (e) { if (e.ctrlKey) stop(e); }, { capture: true, passive: false });
  ["gesturestart", "gesturechange"].forEach(function (t) { window.addEventListener(t, stop, true); });

  var refuse = function () { return null; };
  try {
    window.open = refuse;
    window.close = function () {};
    window.print = function () {};
    history.pushState = history.pushState.bind(history);
    window.addEventListener("popstate", function () { history.go(1); });
  } catch (_) { /* frozen prototypes */ }

  var style = document.createElement("style");
  style.textContent = "html,body{-webkit-user-select:none;user-select:none;-webkit-touch-callout:none}" +
    "input,textarea{-webkit-user-select:text;user-select:text}" +
    "img,svg,a{-webkit-user-drag:none}";
  (document.head || document.documentElement).appendChild(style);
})();
