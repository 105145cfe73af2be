//! Layout checks of what is on screen, run inside the webview: nothing
//! scrolled the page or the app frame, the top bar and every clock are fully
//! on screen, no element sticks out of the window, and no text is clipped by
//! a box that does not scroll.

use crate::{App, Result};

/// The script: returns a list of problems (empty when the screen is sound).
const CHECK: &str = r#"
const vw = window.innerWidth, vh = window.innerHeight;
const problems = [];
const name = (el) => {
  const id = el.dataset && el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : "";
  const cls = typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\s+/).join(".") : "";
  return el.tagName.toLowerCase() + id + cls;
};
const visible = (el) => {
  const s = getComputedStyle(el);
  if (s.display === "none" || s.visibility === "hidden" || Number(s.opacity) === 0) return false;
  const r = el.getBoundingClientRect();
  return r.width > 2 && r.height > 2;
};
// 0. The window itself is on the screen (a window larger than the screen hides its right side).
if (vw > screen.width + 1 || vh > screen.height + 1) problems.push(`window ${vw}×${vh} larger than the screen ${screen.width}×${screen.height}`);
// 1. Nothing scrolled the page or the frames around the screen.
const frames = [document.scrollingElement, document.documentElement, document.body, document.getElementById("app"),
  ...document.querySelectorAll("[data-testid=station] , [data-testid=station] > main")];
for (const el of frames) {
  if (el && (el.scrollTop > 0 || el.scrollLeft > 0)) problems.push(`scrolled by ${el.scrollTop}px: ${name(el)}`);
}
// 2. The top bar and every clock fully on screen.
const must = [...document.querySelectorAll("header.bar, [data-testid=work-left], [data-testid=task-left], [data-testid=phase-left]")];
for (const el of must) {
  if (!visible(el)) continue;
  const r = el.getBoundingClientRect();
  if (r.top < -0.5 || r.left < -0.5 || r.bottom > vh + 0.5 || r.right > vw + 0.5) {
    problems.push(`off screen (${Math.round(r.left)},${Math.round(r.top)})–(${Math.round(r.right)},${Math.round(r.bottom)}): ${name(el)}`);
  }
}
// 3. Nothing sticks out of the window; no box clips its text.
const scrolls = (s) => s === "auto" || s === "scroll";
for (const el of document.querySelectorAll("body *")) {
  if (!visible(el) || el.closest(".sr-only") || el.tagName === "INPUT" && el.type === "radio") continue;
  if (el.tagName === "IMG" || el.closest("svg")) continue;
  const r = el.getBoundingClientRect();
  // Inside a scrolling panel, being below its fold is fine: only the window's sides count.
  if (r.right > vw + 1 || r.left < -1) problems.push(`sticks out of the window (${Math.round(r.left)}–${Math.round(r.right)} of ${vw}): ${name(el)}`);
  const s = getComputedStyle(el);
  if (s.overflowX !== "visible" && !scrolls(s.overflowX) && el.scrollWidth > el.clientWidth + 1) {
    problems.push(`clips its content across (${el.scrollWidth} > ${el.clientWidth}): ${name(el)}`);
  }
  // A clamped text that opens in full on a tap (`aria-expanded`) is readable.
  if (s.overflowY !== "visible" && !scrolls(s.overflowY) && el.scrollHeight > el.clientHeight + 1 && el.textContent.trim() !== ""
      && !el.hasAttribute("aria-expanded")) {
    problems.push(`clips its content down (${el.scrollHeight} > ${el.clientHeight}): ${name(el)}`);
  }
}
return problems;
"#;

/// Problems of the current screen's layout (see the module docs).
pub async fn layout_problems(app: &App) -> Result<Vec<String>> {
    let v = app.js(CHECK).await?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default())
}

/// Fail with every problem listed (and where) when the screen is not sound.
pub async fn assert_layout(app: &App, where_: &str) -> Result<()> {
    let problems = layout_problems(app).await?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{where_}: {}", problems.join("; ")).into())
    }
}
