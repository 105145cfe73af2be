//! SVG photos, parsed with quick-xml: the root element is `<svg>` with a size (`width`/`height`
//! or `viewBox`); nothing that could run (`<script>`, `on…` handlers), embed a page
//! (`<foreignObject>`), fetch from outside (an `href` or `url(…)` that is not `#id` or a
//! `data:image/…`, `@import`, processing instructions) or expand (DOCTYPE, entities) is allowed.

use std::{io::Read, path::Path};

use quick_xml::{
    events::{BytesStart, Event},
    Reader, XmlVersion,
};

use super::{open_capped, ImageFormat, ImageInfo, MediaError, MAX_SVG_BYTES};

/// What an SVG is refused for (the part after the file's name).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SvgRefusal {
    #[error("SVG должен быть в кодировке UTF-8")]
    NotUtf8,
    #[error("не разбирается как XML (позиция {position}): {detail}")]
    Xml { position: u64, detail: String },
    #[error("после </svg> есть ещё элементы")]
    AfterRoot,
    #[error("корневой элемент <{name}>, а не <svg>: это не SVG")]
    NotSvgRoot { name: String },
    #[error("SVG содержит <{name}>")]
    Element { name: String },
    #[error("ссылка на сущность &{name}; (сущности не допускаются)")]
    Entity { name: String },
    #[error("SVG содержит DOCTYPE (объявления сущностей не допускаются)")]
    Doctype,
    #[error("SVG содержит инструкцию обработки <?…?> (например, внешнюю таблицу стилей)")]
    ProcessingInstruction,
    #[error("файл обрывается: элемент <svg> не закрыт")]
    Unclosed,
    #[error("нет элемента <svg>: это не SVG")]
    NoRoot,
    #[error("неверный атрибут: {detail}")]
    Attribute { detail: String },
    #[error("атрибут {key}: {detail} (сущности не допускаются)")]
    AttributeEntity { key: String, detail: String },
    #[error("SVG содержит обработчик события {key}")]
    EventHandler { key: String },
    #[error("внешняя ссылка {key}=\"{target}\"")]
    ExternalHref { key: String, target: String },
    #[error("SVG загружает стили извне (@import)")]
    CssImport,
    #[error("внешняя ссылка url({target})")]
    ExternalUrl { target: String },
    #[error("у <svg> не указан размер (width и height или viewBox)")]
    NoSize,
    #[error("размер <svg> {width}×{height} (каждая сторона от 1 до {MAX_SIDE})")]
    BadSize { width: f64, height: f64 },
}

/// Largest width or height an SVG may declare.
const MAX_SIDE: f64 = 100_000.0;

pub(crate) fn probe_as(path: &Path, shown: &str) -> Result<ImageInfo, MediaError> {
    let (file, len) = open_capped(path, shown, MAX_SVG_BYTES)?;
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(MAX_SVG_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|source| MediaError::Io {
            file: shown.to_owned(),
            source,
        })?;
    let refuse = |what: SvgRefusal| MediaError::Svg {
        file: shown.to_owned(),
        what,
    };
    let text = std::str::from_utf8(&bytes).map_err(|_| refuse(SvgRefusal::NotUtf8))?;
    check(text.trim_start_matches('\u{feff}')).map_err(refuse)
}

/// Walk the document; `Err` says what is refused.
fn check(text: &str) -> Result<ImageInfo, SvgRefusal> {
    let mut reader = Reader::from_str(text);
    let mut depth = 0usize;
    let mut size: Option<(u32, u32)> = None;
    let mut root_done = false;
    let mut in_style = false;
    loop {
        let event = reader.read_event().map_err(|e| SvgRefusal::Xml {
            position: reader.error_position(),
            detail: e.to_string(),
        })?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = local(e.local_name().as_ref());
                if root_done {
                    return Err(SvgRefusal::AfterRoot);
                }
                if depth == 0 {
                    if name != "svg" {
                        return Err(SvgRefusal::NotSvgRoot { name });
                    }
                    size = Some(dimensions(e)?);
                }
                match name.to_ascii_lowercase().as_str() {
                    "script" | "foreignobject" | "iframe" | "embed" | "object" => {
                        return Err(SvgRefusal::Element { name });
                    }
                    _ => {}
                }
                check_attributes(e)?;
                if empty {
                    if depth == 0 {
                        root_done = true;
                    }
                } else {
                    depth += 1;
                    in_style = name.eq_ignore_ascii_case("style");
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                in_style = false;
                if depth == 0 {
                    root_done = true;
                }
            }
            Event::Text(t) => {
                if in_style {
                    check_css(&t.xml10_content())?;
                }
            }
            Event::CData(t) => check_css(&t)?,
            Event::GeneralRef(r) => {
                let known =
                    r.is_char_ref() || matches!(r.as_ref(), "amp" | "lt" | "gt" | "quot" | "apos");
                if !known {
                    return Err(SvgRefusal::Entity {
                        name: r.as_ref().to_owned(),
                    });
                }
            }
            Event::DocType(_) => return Err(SvgRefusal::Doctype),
            Event::PI(_) => return Err(SvgRefusal::ProcessingInstruction),
            Event::Decl(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if depth != 0 {
        return Err(SvgRefusal::Unclosed);
    }
    let Some((width, height)) = size else {
        return Err(SvgRefusal::NoRoot);
    };
    Ok(ImageInfo {
        format: ImageFormat::Svg,
        width,
        height,
    })
}

/// `svg:rect` → `rect`.
fn local(name: &str) -> String {
    name.rsplit(':').next().unwrap_or(name).to_owned()
}

fn check_attributes(e: &BytesStart<'_>) -> Result<(), SvgRefusal> {
    for attr in e.attributes().with_checks(true) {
        let attr = attr.map_err(|err| SvgRefusal::Attribute {
            detail: err.to_string(),
        })?;
        let key = local(attr.key.as_ref());
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| SvgRefusal::AttributeEntity {
                key: key.clone(),
                detail: err.to_string(),
            })?;
        let lower = key.to_ascii_lowercase();
        if lower.starts_with("on") {
            return Err(SvgRefusal::EventHandler { key });
        }
        if lower == "href" && !local_target(&value) {
            return Err(SvgRefusal::ExternalHref {
                key,
                target: short(&value),
            });
        }
        check_css(&value)?;
    }
    Ok(())
}

/// `url(…)` in style text or an attribute must stay inside the file; `@import` is refused.
fn check_css(text: &str) -> Result<(), SvgRefusal> {
    let lower = text.to_ascii_lowercase();
    if lower.contains("@import") {
        return Err(SvgRefusal::CssImport);
    }
    let mut rest = lower.as_str();
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        let target = rest[..end].trim().trim_matches(|c| c == '"' || c == '\'');
        if !local_target(target) {
            return Err(SvgRefusal::ExternalUrl {
                target: short(target),
            });
        }
        rest = &rest[end..];
    }
    Ok(())
}

/// `#id` or an embedded picture: nothing fetched from anywhere.
fn local_target(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    v.starts_with('#') || v.starts_with("data:image/png") || v.starts_with("data:image/jpeg")
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// The root's size: `width`/`height` in px (or unitless), else the `viewBox`.
fn dimensions(e: &BytesStart<'_>) -> Result<(u32, u32), SvgRefusal> {
    let mut width = None;
    let mut height = None;
    let mut view_box = None;
    for attr in e.attributes().flatten() {
        let value = attr.value.to_string();
        match attr.key.as_ref() {
            "width" => width = length(&value),
            "height" => height = length(&value),
            "viewBox" => view_box = Some(value),
            _ => {}
        }
    }
    let from_box = view_box.and_then(|v| {
        let n: Vec<f64> = v
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|s| !s.is_empty())
            .map(|s| s.parse::<f64>().ok())
            .collect::<Option<_>>()?;
        (n.len() == 4).then(|| (n[2], n[3]))
    });
    let (w, h) = match (width, height, from_box) {
        (Some(w), Some(h), _) => (w, h),
        (_, _, Some((w, h))) => (w, h),
        _ => return Err(SvgRefusal::NoSize),
    };
    let ok = |x: f64| x.is_finite() && x > 0.0 && x <= MAX_SIDE;
    if !ok(w) || !ok(h) {
        return Err(SvgRefusal::BadSize {
            width: w,
            height: h,
        });
    }
    Ok((w.ceil() as u32, h.ceil() as u32))
}

/// `400`, `400px`, `400.5` → 400.5; other units (%, cm) are not a pixel size.
fn length(v: &str) -> Option<f64> {
    let v = v.trim();
    v.strip_suffix("px").unwrap_or(v).trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_could_run_or_fetch() {
        let ok = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 40 30"><defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="4" height="3"/><use xlink:href="#g"/><text>a &amp; b &#x41;</text></svg>"##;
        assert_eq!(
            check(ok).map(|i| (i.width, i.height)),
            Ok((40, 30)),
            "a plain SVG passes"
        );
        for (svg, why) in [
            (
                r#"<svg width="1" height="1"><script>alert(1)</script></svg>"#,
                "<script>",
            ),
            (
                r#"<svg width="1" height="1"><foreignObject/></svg>"#,
                "<foreignObject>",
            ),
            (r#"<svg width="1" height="1" onload="x()"/>"#, "onload"),
            (
                r#"<svg width="1" height="1"><image href="http://x/y.png"/></svg>"#,
                "http://x",
            ),
            (
                r#"<svg width="1" height="1"><image xlink:href="file:///etc/passwd"/></svg>"#,
                "file:///etc",
            ),
            (
                r#"<svg width="1" height="1"><rect style="fill:url(http://x/a)"/></svg>"#,
                "url(http",
            ),
            (
                r#"<svg width="1" height="1"><style>@import "http://x/a.css";</style></svg>"#,
                "@import",
            ),
            (
                r#"<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg width="1" height="1">&a;</svg>"#,
                "DOCTYPE",
            ),
            (r#"<svg width="1" height="1">&a;</svg>"#, "&a;"),
            (
                r#"<?xml-stylesheet href="http://x/a.css"?><svg width="1" height="1"/>"#,
                "<?",
            ),
            (r#"<html><svg width="1" height="1"/></html>"#, "<html>"),
            (r#"<svg width="1" height="1"><rect/>"#, "не закрыт"),
            (r#"<svg><rect/></svg>"#, "не указан размер"),
            ("just text", "нет элемента"),
        ] {
            let err = check(svg).expect_err(svg);
            assert!(err.to_string().contains(why), "{svg}: {err}");
        }
    }
}
