// Kiosk guard for the student window: runs before any page script.
// Refuses the browser's own shortcuts, menus, selection, drag-and-drop,
// clipboard, printing, zoom and history navigation.
(function () {
  "use strict";
  if (window.__vprKioskGuard) return;
  Object.defineProperty(window, "__vprKioskGuard", { value: true });

  // Matched by physical key (KeyboardEvent.code) as well as by letter, so the
  // Russian layout (Ctrl+К is Ctrl+R) is refused the same.
  var blockedCtrl = ["r", "w", "p", "o", "l", "s", "n", "t", "u", "f", "g", "h", "j", "d", "e", "q",
    "+", "-", "=", "0", "_", "c", "x", "v", "a", "i", "k"];
  var blockedCtrlCodes = ["Equal", "Minus", "Digit0", "NumpadAdd", "NumpadSubtract", "Numpad0",
    "NumpadMultiply", "NumpadDivide"];
  var blockedCtrlShift = ["i", "j", "c", "k", "d", "e", "m"];
  var stop = function (e) { e.preventDefault(); e.stopImmediatePropagation(); return false; };
  var isField = function (t) {
    return !!t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable ||
      (t.getAttribute && t.getAttribute("role") === "textbox"));
  };
  // The Latin letter of the physical key ("KeyR" → "r"), or "".
  var letter = function (code) { return /^Key[A-Z]$/.test(code || "") ? code.charAt(3).toLowerCase() : ""; };

  window.addEventListener("keydown", function (e) {
    var key = (e.key || "").toLowerCase();
    var code = e.code || "";
    var phys = letter(code);
    var ctrl = e.ctrlKey || e.metaKey;
    var is = function (k) { return key === k || phys === k; };
    if (/^f([1-9]|1[0-9]|2[0-4])$/.test(key) || /^F([1-9]|1[0-9]|2[0-4])$/.test(code)) return stop(e); // F1..F24
    if (ctrl && e.shiftKey && blockedCtrlShift.some(is)) return stop(e);
    if (ctrl && (blockedCtrl.some(is) || blockedCtrlCodes.indexOf(code) !== -1)) {
      // Ctrl+A inside a text field selects the student's own answer: allowed.
      if (is("a") && !e.shiftKey && isField(e.target)) return;
      return stop(e);
    }
    if (e.altKey && (key === "arrowleft" || key === "arrowright" || key === "home" || key === "f4" ||
      code === "ArrowLeft" || code === "ArrowRight" || code === "Home" || code === "F4")) return stop(e);
    if (key === "browserback" || key === "browserforward" || key === "browserrefresh" || key === "contextmenu" ||
      code === "BrowserBack" || code === "BrowserForward" || code === "BrowserRefresh" || code === "ContextMenu") return stop(e);
    if (e.shiftKey && (key === "insert" || code === "Insert")) return stop(e);           // paste
    if ((e.altKey || e.metaKey) && (key === "tab" || code === "Tab")) return stop(e);   // window switching
    if ((key === "backspace" || code === "Backspace") && (!isField(e.target) || (ctrl && e.altKey))) return stop(e);
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
