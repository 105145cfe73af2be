//! Canonical JSON: object keys sorted by their UTF-8 bytes, no whitespace,
//! strings escaped as serde_json does, numbers in serde_json's shortest
//! round-trip form. The same value always gives the same bytes, whatever
//! map ordering the `serde_json` build uses.

use serde_json::Value;

use crate::{IntegrityError, Result};

/// Encode `value` canonically.
pub fn canonical_json(value: &Value) -> Result<String> {
    let mut out = String::new();
    write_value(value, &mut out)?;
    Ok(out)
}

fn write_value(value: &Value, out: &mut String) -> Result<()> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| !n.is_i64() && !n.is_u64()) {
                if !f.is_finite() {
                    return Err(IntegrityError::NotCanonical(n.to_string()));
                }
            }
            out.push_str(&n.to_string());
        }
        Value::String(s) => write_string(s, out)?,
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out)?;
                out.push(':');
                if let Some(v) = map.get(key) {
                    write_value(v, out)?;
                }
            }
            out.push('}');
        }
    }
    Ok(())
}

fn write_string(s: &str, out: &mut String) -> Result<()> {
    let encoded =
        serde_json::to_string(s).map_err(|e| IntegrityError::NotCanonical(e.to_string()))?;
    out.push_str(&encoded);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_sorted_no_whitespace() {
        let v = json!({"b": 1, "a": {"z": [1, 2, "x"], "y": null}, "ä": "ü\n\"", "B": true});
        assert_eq!(
            canonical_json(&v).unwrap(),
            r#"{"B":true,"a":{"y":null,"z":[1,2,"x"]},"b":1,"ä":"ü\n\""}"#
        );
    }

    #[test]
    fn reparse_is_stable() {
        let v = json!({"f": 0.1, "n": -3, "big": u64::MAX, "s": "Gruß é"});
        let once = canonical_json(&v).unwrap();
        let again = canonical_json(&serde_json::from_str(&once).unwrap()).unwrap();
        assert_eq!(once, again);
    }
}
