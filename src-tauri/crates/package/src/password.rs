//! Package passwords: generated ones a person can type from paper, and an
//! honest strength estimate for a typed one.
//!
//! Generated: [`GENERATED_GROUPS`] groups of [`GROUP_LEN`] characters from
//! [`ALPHABET`] (lower-case Latin letters and digits without the look-alikes
//! `0 o 1 l i`), joined by `-`, drawn from `ring`'s `SystemRandom` by
//! rejection sampling: 16 × log2(31) ≈ 79.3 bits.
//!
//! Typed: each character is worth log2 of the pool of the character classes
//! the password uses (Latin lower/upper 26 each, digits 10, Cyrillic
//! lower/upper 33 each, ASCII punctuation and space 33, anything else 32).
//! A character is worth only 1 bit when it repeats the previous one,
//! continues a run (`abc`, `321`, `абв`), is the next key on a keyboard row
//! (`qwerty`, `йцукен`, `asdf`, `12345`), or belongs to a block of three or
//! more characters seen earlier in the password (`abcabc`). Dictionary words
//! are not recognised, so the estimate is an upper bound for a password made
//! of words — the reason a generated password is the default.

use ring::rand::{SecureRandom, SystemRandom};

use crate::{PackageError, Result};

/// A package password needs at least this many bits.
pub const MIN_PASSWORD_BITS: f64 = 70.0;
/// Characters of a generated password (no `0 o 1 l i`).
pub const ALPHABET: &[u8; 31] = b"23456789abcdefghjkmnpqrstuvwxyz";
/// Groups in a generated password.
pub const GENERATED_GROUPS: usize = 4;
/// Characters in one group.
pub const GROUP_LEN: usize = 4;
/// Characters looked at by the estimate (more are not needed for 70 bits).
const MAX_ESTIMATED: usize = 128;

/// A freshly generated password and its exact strength.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedPassword {
    /// E.g. `k7m3-9xwp-c4hr-2tnv`, typed exactly so (with the hyphens).
    pub text: String,
    /// Bits of randomness: groups × length × log2(alphabet size).
    pub bits: f64,
}

/// A new random password from `SystemRandom`.
pub fn generate_password() -> Result<GeneratedPassword> {
    let rng = SystemRandom::new();
    let n = ALPHABET.len();
    // Bytes at or above the largest multiple of 31 are drawn again, so every
    // character is equally likely.
    let limit = u8::try_from(256 / n * n).map_err(|_| PackageError::Crypto)?;
    let mut chars = Vec::with_capacity(GENERATED_GROUPS * GROUP_LEN);
    let mut buf = [0u8; 32];
    while chars.len() < GENERATED_GROUPS * GROUP_LEN {
        rng.fill(&mut buf).map_err(|_| PackageError::Crypto)?;
        for &b in &buf {
            if b < limit && chars.len() < GENERATED_GROUPS * GROUP_LEN {
                chars.push(char::from(ALPHABET[usize::from(b) % n]));
            }
        }
    }
    let text = chars
        .chunks(GROUP_LEN)
        .map(|g| g.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-");
    let bits = (GENERATED_GROUPS * GROUP_LEN) as f64 * (n as f64).log2();
    Ok(GeneratedPassword { text, bits })
}

/// The estimate of a typed password.
#[derive(Debug, Clone, PartialEq)]
pub struct Strength {
    pub bits: f64,
    /// Characters counted (after trimming surrounding spaces).
    pub length: usize,
    /// Characters worth 1 bit: repeats, runs, keyboard rows, repeated blocks.
    pub predictable: usize,
    /// The classes used, in Russian, e.g. «строчные латинские, цифры».
    pub classes: String,
    /// log2 of the pool of those classes.
    pub bits_per_char: f64,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    LatinLower,
    LatinUpper,
    CyrillicLower,
    CyrillicUpper,
    Digit,
    Symbol,
    Other,
}

impl Class {
    fn of(c: char) -> Self {
        match c {
            'a'..='z' => Self::LatinLower,
            'A'..='Z' => Self::LatinUpper,
            '0'..='9' => Self::Digit,
            'а'..='я' | 'ё' => Self::CyrillicLower,
            'А'..='Я' | 'Ё' => Self::CyrillicUpper,
            c if c.is_ascii_punctuation() || c == ' ' => Self::Symbol,
            _ => Self::Other,
        }
    }

    fn size(self) -> u32 {
        match self {
            Self::LatinLower | Self::LatinUpper => 26,
            Self::Digit => 10,
            Self::CyrillicLower | Self::CyrillicUpper | Self::Symbol => 33,
            Self::Other => 32,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::LatinLower => "строчные латинские",
            Self::LatinUpper => "заглавные латинские",
            Self::Digit => "цифры",
            Self::CyrillicLower => "строчные русские",
            Self::CyrillicUpper => "заглавные русские",
            Self::Symbol => "знаки",
            Self::Other => "другие символы",
        }
    }
}

/// Keyboard rows, Latin and Russian layouts (lower case).
const ROWS: [&str; 7] = [
    "1234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "йцукенгшщзхъ",
    "фывапролджэ",
    "ячсмитьбю",
];

fn adjacent_on_keyboard(a: char, b: char) -> bool {
    let (a, b) = (lower(a), lower(b));
    ROWS.iter().any(|row| {
        let keys: Vec<char> = row.chars().collect();
        keys.windows(2)
            .any(|w| (w[0] == a && w[1] == b) || (w[0] == b && w[1] == a))
    })
}

fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// Estimate the strength of a typed password (see the module text).
pub fn estimate(password: &str) -> Strength {
    let chars: Vec<char> = password.trim().chars().take(MAX_ESTIMATED).collect();
    let mut classes: Vec<Class> = chars.iter().map(|&c| Class::of(c)).collect();
    classes.sort();
    classes.dedup();
    let pool: u32 = classes.iter().map(|c| c.size()).sum();
    let bits_per_char = if pool > 1 {
        f64::from(pool).log2()
    } else {
        0.0
    };
    let mut cheap = vec![false; chars.len()];
    for i in 1..chars.len() {
        let (prev, cur) = (chars[i - 1], chars[i]);
        let step = i64::from(u32::from(cur)) - i64::from(u32::from(prev));
        if step.abs() <= 1 || adjacent_on_keyboard(prev, cur) {
            cheap[i] = true;
        }
    }
    // A block of 3+ characters that already occurred earlier.
    let mut i = 1;
    while i + 3 <= chars.len() {
        let longest = (3..=chars.len() - i)
            .rev()
            .find(|&k| (0..i).any(|j| chars[j..j + k] == chars[i..i + k]));
        match longest {
            Some(k) => {
                cheap[i..i + k].iter_mut().for_each(|c| *c = true);
                i += k;
            }
            None => i += 1,
        }
    }
    let predictable = cheap.iter().filter(|&&c| c).count();
    let full = chars.len() - predictable;
    let bits = full as f64 * bits_per_char + predictable as f64;
    Strength {
        bits,
        length: chars.len(),
        predictable,
        classes: classes
            .iter()
            .map(|c| c.name())
            .collect::<Vec<_>>()
            .join(", "),
        bits_per_char,
    }
}

/// Refuse a password weaker than [`MIN_PASSWORD_BITS`], naming `which`
/// («пароль дня», «пароль к ключам») and the reason.
pub fn check_strength(which: &'static str, password: &str) -> Result<Strength> {
    let s = estimate(password);
    if s.bits >= MIN_PASSWORD_BITS {
        return Ok(s);
    }
    let per_char = format!("{:.1}", s.bits_per_char).replace('.', ",");
    let mut reason = format!(
        "{} символов: {} — ≈ {per_char} бита на символ",
        s.length,
        if s.classes.is_empty() {
            "нет"
        } else {
            &s.classes
        },
    );
    if s.predictable > 0 {
        reason.push_str(&format!(
            "; {} из них — повторы или последовательности, по 1 биту",
            s.predictable
        ));
    }
    Err(PackageError::WeakPassword {
        which,
        bits: s.bits.floor() as u32,
        reason,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn generated_passwords_are_strong_typeable_and_differ() {
        let a = generate_password().unwrap();
        let b = generate_password().unwrap();
        assert_ne!(a.text, b.text);
        assert!(
            a.bits >= MIN_PASSWORD_BITS && (a.bits - 79.26).abs() < 0.01,
            "{}",
            a.bits
        );
        let groups: Vec<&str> = a.text.split('-').collect();
        assert_eq!(groups.len(), GENERATED_GROUPS);
        for g in groups {
            assert_eq!(g.len(), GROUP_LEN);
            assert!(g.bytes().all(|c| ALPHABET.contains(&c)), "{g}");
        }
        // The estimate of a generated password typed back is not lower.
        assert!(estimate(&a.text).bits >= MIN_PASSWORD_BITS, "{}", a.text);
    }

    #[test]
    fn every_alphabet_character_comes_up() {
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..200 {
            seen.extend(generate_password().unwrap().text.bytes());
        }
        seen.remove(&b'-');
        assert_eq!(seen.len(), ALPHABET.len());
    }

    #[test]
    fn estimates_penalise_classes_repeats_runs_and_rows() {
        // 12 lower-case letters: 12 × 4.7 = 56 bits.
        assert!((estimate("kfmzhxbpwjvg").bits - 12.0 * 26f64.log2()).abs() < 1e-9);
        for weak in [
            "",
            "a",
            "утро-7391",
            "password2026",
            "aaaaaaaaaaaaaaaaaaaaaaaa",
            "abcdefghijklmnopqrstuvwx",
            "qwertyuiopasdfghjklzxcvb",
            "йцукенгшщзхъфывапролджэ",
            "12345678901234567890123",
            "Kx7#Kx7#Kx7#Kx7#Kx7#Kx7#",
        ] {
            let s = estimate(weak);
            assert!(s.bits < MIN_PASSWORD_BITS, "{weak}: {s:?}");
            assert!(check_strength("пароль дня", weak).is_err());
        }
        for strong in [
            "Kp7#vR2q-Xm9$Lw4",
            "k7m3-9xwp-c4hr-2tnv",
            "рыба-Ключ-79-окно-Шум!",
        ] {
            assert!(estimate(strong).bits >= MIN_PASSWORD_BITS, "{strong}");
        }
        let e = check_strength("пароль дня", "утро-7391").unwrap_err();
        let text = e.to_string();
        assert!(text.contains("пароль дня") && text.contains("70"), "{text}");
        assert!(text.contains("строчные русские, цифры, знаки"), "{text}");
    }
}
