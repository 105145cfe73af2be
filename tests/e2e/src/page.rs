//! Page helpers the coordinator's end-to-end tests share: a field set as
//! typing would set it, a script polled until it holds, a count of elements.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{App, Result};

/// Set an input's (or textarea's) value and fire its `input` event.
pub async fn fill(app: &App, id: &str, value: &str) -> Result<()> {
    app.by_testid(id).await?;
    app.js(&format!(
        "const el = document.querySelector(\"[data-testid='{id}']\");
         el.value = {};
         el.dispatchEvent(new Event('input', {{ bubbles: true }}));
         return true;",
        serde_json::to_string(value)?
    ))
    .await?;
    Ok(())
}

/// Poll `script` until it returns `true`; on time-out the error shows the screen's text.
pub async fn wait_js(app: &App, what: &str, script: &str, secs: u64) -> Result<()> {
    let start = Instant::now();
    loop {
        if app.js(script).await? == Value::Bool(true) {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let body = app
                .js("return document.querySelector('main')?.innerText ?? ''")
                .await?;
            return Err(format!("timed out waiting for {what}; screen: {body}").into());
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// A script expression counting the elements with a test id.
pub fn count(testid: &str) -> String {
    format!("document.querySelectorAll(\"[data-testid='{testid}']\").length")
}

/// Choose an option of a `<select>` and fire its `change` event.
pub async fn select(app: &App, id: &str, value: &str) -> Result<()> {
    app.by_testid(id).await?;
    app.js(&format!(
        "const el = document.querySelector(\"[data-testid='{id}']\");
         el.value = {};
         el.dispatchEvent(new Event('change', {{ bubbles: true }}));
         return true;",
        serde_json::to_string(value)?
    ))
    .await?;
    Ok(())
}

/// Open one of the coordinator's tabs and wait for its screen.
pub async fn tab(app: &App, name: &str) -> Result<()> {
    app.click(&format!("tab-{name}")).await?;
    app.by_testid(&format!("screen-{name}")).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    Ok(())
}
