//! The paper receipt of a closed session: 8 characters of RFC 4648 base32
//! (`A–Z`, `2–7`) taken from the chain link that closed it. The organizer
//! copies it into the paper protocol; the coordinator recomputes it from the
//! bundle's journal, so a bundle rebuilt and re-signed on the station no
//! longer matches what was written on paper.

use crate::Sha256Hash;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Characters in a receipt (5 bytes = 40 bits of the closing link's hash).
pub const RECEIPT_LEN: usize = 8;

/// The receipt of the chain link `hash`: 8 base32 characters, upper case.
pub fn receipt(hash: &Sha256Hash) -> String {
    let b = &hash.as_bytes()[..5];
    let bits = b.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x));
    (0..RECEIPT_LEN)
        .map(|i| {
            let idx = ((bits >> (35 - 5 * i)) & 0x1f) as usize;
            char::from(ALPHABET[idx])
        })
        .collect()
}

/// A receipt as typed from paper, normalised: spaces and dashes dropped,
/// upper case, the look-alikes `0`→`O`, `1`→`I`, `8`→`B` mapped (base32 has
/// none of them). `None` when it cannot be a receipt.
pub fn normalize_receipt(typed: &str) -> Option<String> {
    let s: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            '0' => 'O',
            '1' => 'I',
            '8' => 'B',
            other => other,
        })
        .collect();
    (s.len() == RECEIPT_LEN && s.bytes().all(|c| ALPHABET.contains(&c))).then_some(s)
}

/// A receipt as printed for a person: `ABCD-EFGH`.
pub fn display_receipt(receipt: &str) -> String {
    if receipt.len() == RECEIPT_LEN && receipt.is_ascii() {
        format!("{}-{}", &receipt[..4], &receipt[4..])
    } else {
        receipt.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_are_base32_of_the_first_five_bytes() {
        // RFC 4648 test vector: base32("fooba") = "MZXW6YTB".
        let mut h = [0u8; 32];
        h[..5].copy_from_slice(b"fooba");
        assert_eq!(receipt(&Sha256Hash(h)), "MZXW6YTB");
        let mut other = h;
        other[4] ^= 1;
        assert_ne!(receipt(&Sha256Hash(other)), "MZXW6YTB");
    }

    #[test]
    fn typed_receipts_are_normalised() {
        assert_eq!(normalize_receipt("mzxw-6ytb").as_deref(), Some("MZXW6YTB"));
        assert_eq!(
            normalize_receipt(" MZXW 6YTB ").as_deref(),
            Some("MZXW6YTB")
        );
        assert_eq!(normalize_receipt("0I8A2345").as_deref(), Some("OIBA2345"));
        assert_eq!(normalize_receipt("MZXW6YT"), None);
        assert_eq!(normalize_receipt("MZXW6YTБ"), None);
        assert_eq!(display_receipt("MZXW6YTB"), "MZXW-6YTB");
    }
}
