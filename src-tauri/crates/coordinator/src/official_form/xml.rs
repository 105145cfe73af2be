//! Small helpers over `quick-xml` for the parts of a workbook: names without
//! their namespace prefix, attribute values, the text of a string item.

use quick_xml::{
    events::{BytesStart, Event},
    Reader, XmlVersion,
};

/// A qualified name without its prefix (`x:row` → `row`).
pub(crate) fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, l)| l)
}

/// The value of the attribute whose local name is `name`, unescaped.
pub(crate) fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().with_checks(false).flatten().find_map(|a| {
        (local(a.key.as_ref()) == name).then(|| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.into_owned())
        })
    })
}

/// A predefined entity or character reference as text.
pub(crate) fn entity(name: &str) -> Option<String> {
    Some(match name {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)?.to_string()
        }
    })
}

/// The text inside the element being read up to its end tag `end`: every
/// `<t>` run, phonetic runs (`<rPh>`) left out.
pub(crate) fn text_of(r: &mut Reader<&[u8]>, end: &str) -> quick_xml::Result<String> {
    let mut out = String::new();
    let mut in_t = false;
    let mut in_phonetic = 0u32;
    loop {
        match r.read_event()? {
            Event::Start(e) => match local(e.name().as_ref()) {
                "t" => in_t = true,
                "rPh" => in_phonetic += 1,
                _ => {}
            },
            Event::End(e) => {
                let name = local(e.name().as_ref()).to_string();
                match name.as_str() {
                    "t" => in_t = false,
                    "rPh" => in_phonetic = in_phonetic.saturating_sub(1),
                    n if n == end => break,
                    _ => {}
                }
            }
            Event::Text(t) if in_t && in_phonetic == 0 => out.push_str(&t.xml10_content()),
            Event::CData(t) if in_t && in_phonetic == 0 => out.push_str(&t.into_inner()),
            Event::GeneralRef(g) if in_t && in_phonetic == 0 => {
                if let Some(s) = entity(&g) {
                    out.push_str(&s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// Text escaped for an element's content or an attribute value.
pub(crate) fn escape(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_with_runs_entities_and_phonetics() {
        let xml = r#"<si><r><t>Код </t></r><r><t xml:space="preserve">участника &amp; &#1042;</t></r><rPh><t>skip</t></rPh></si>"#;
        let mut r = Reader::from_str(xml);
        let Ok(Event::Start(_)) = r.read_event() else {
            panic!("start")
        };
        assert_eq!(
            text_of(&mut r, "si").ok().as_deref(),
            Some("Код участника & В")
        );
        assert_eq!(local("x:row"), "row");
        assert_eq!(entity("#x41").as_deref(), Some("A"));
        assert_eq!(escape("a<b&\"c\""), "a&lt;b&amp;&quot;c&quot;");
    }
}
