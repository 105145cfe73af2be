//! The coordinator's keys. PBKDF2-HMAC-SHA256 turns the password into 32
//! bytes; HKDF-SHA256 expands them into one key per purpose (sealing cells,
//! blind indexes). Cells are AES-256-GCM `nonce ‖ ciphertext ‖ tag`, and a
//! cell of a row ([`Vault::seal_cell`]) carries its table, column and row id
//! as associated data, so a sealed name moved to another row, column or
//! table no longer opens. The iteration count is read from the file and is
//! refused above [`MAX_ITERATIONS`] before any hashing.
//!
//! Databases written before this scheme ([`Scheme::Legacy`]: 64 PBKDF2
//! bytes split into the two keys, no associated data) still open: the
//! first open with the right password re-seals every cell under the new
//! keys in one transaction (`rekey.rs`).

use ring::hkdf;
use vpr_integrity::{aead::AeadKey, kdf};

use crate::{CoordinatorError, Result};

/// PBKDF2 iterations for a new database (OWASP 2023 guidance).
pub const ITERATIONS: u32 = 600_000;
/// The most iterations a database file may ask for; more is refused as
/// corrupt before hashing (a file cannot make the coordinator spin).
pub const MAX_ITERATIONS: u32 = 10_000_000;
pub(crate) const SALT_LEN: usize = kdf::SALT_LEN;
const CHECK_PLAINTEXT: &[u8] = b"vpr-coordinator-key-check-v1";
/// `meta.kdf` of a database under the current scheme.
pub(crate) const SCHEME_V2: &[u8] = b"pbkdf2-sha256/hkdf-sha256/aad-v2";
const HKDF_SALT: &[u8] = b"vpr-coordinator-keys";

/// How a database's keys are derived and its cells sealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// 64 PBKDF2 bytes (sealing key, index key), cells without associated data.
    Legacy,
    /// 32 PBKDF2 bytes expanded by HKDF; row cells bound to table, column, row.
    V2,
}

/// The keys derived from the coordinator's password.
#[derive(Debug)]
pub(crate) struct Vault {
    seal: AeadKey,
    index: kdf::MacKey,
}

pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    kdf::random_bytes::<N>().map_err(|_| CoordinatorError::Crypto("нет источника случайных чисел"))
}

struct Len(usize);

impl hkdf::KeyType for Len {
    fn len(&self) -> usize {
        self.0
    }
}

fn expand(prk: &hkdf::Prk, purpose: &[u8]) -> Result<[u8; 32]> {
    let mut out = [0u8; 32];
    prk.expand(&[purpose], Len(32))
        .and_then(|okm| okm.fill(&mut out))
        .map_err(|_| CoordinatorError::Crypto("не удалось получить ключ"))?;
    Ok(out)
}

/// Refuse an iteration count read from a file before spending time on it.
pub(crate) fn check_iterations(iterations: u32) -> Result<()> {
    if iterations == 0 || iterations > MAX_ITERATIONS {
        return Err(CoordinatorError::Corrupt(format!(
            "число итераций PBKDF2 в файле ({iterations}) вне допустимого (1–{MAX_ITERATIONS})"
        )));
    }
    Ok(())
}

/// The associated data of one cell: table, column and row id.
fn cell_aad(table: &str, column: &str, row: i64) -> Vec<u8> {
    format!("vpr-coordinator/v2\0{table}\0{column}\0{row}").into_bytes()
}

impl Vault {
    /// The keys of a database under `scheme`.
    pub(crate) fn derive(
        password: &str,
        salt: &[u8],
        iterations: u32,
        scheme: Scheme,
    ) -> Result<Self> {
        check_iterations(iterations)?;
        let failed = |_| CoordinatorError::Crypto("не удалось получить ключ из пароля");
        let (seal, index) = match scheme {
            Scheme::Legacy => {
                let mut m = [0u8; 64];
                kdf::pbkdf2_sha256(password.as_bytes(), salt, iterations, &mut m)
                    .map_err(failed)?;
                let (a, b) = m.split_at(32);
                (a.to_vec(), b.to_vec())
            }
            Scheme::V2 => {
                let mut m = [0u8; 32];
                kdf::pbkdf2_sha256(password.as_bytes(), salt, iterations, &mut m)
                    .map_err(failed)?;
                let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, HKDF_SALT).extract(&m);
                (
                    expand(&prk, b"seal cells")?.to_vec(),
                    expand(&prk, b"blind index")?.to_vec(),
                )
            }
        };
        Ok(Self {
            seal: AeadKey::new(&seal).map_err(|_| CoordinatorError::Crypto("недопустимый ключ"))?,
            index: kdf::MacKey::new(&index),
        })
    }

    /// nonce ‖ ciphertext ‖ tag, without associated data (values not tied
    /// to one row: the key check, the archive key, staff and absence cells).
    pub(crate) fn seal(&self, plaintext: &[u8]) -> Result<Vec<u8>> {
        self.seal
            .seal_framed(b"", plaintext)
            .map_err(|_| CoordinatorError::Crypto("не удалось зашифровать"))
    }

    pub(crate) fn open(&self, sealed: &[u8]) -> Result<Vec<u8>> {
        self.seal.open_framed(b"", sealed).ok_or_else(|| {
            CoordinatorError::Corrupt("зашифрованная запись не проходит проверку".into())
        })
    }

    /// A cell of `table.column` in row `row`, bound to that place.
    pub(crate) fn seal_cell(
        &self,
        table: &str,
        column: &str,
        row: i64,
        plaintext: &[u8],
    ) -> Result<Vec<u8>> {
        self.seal
            .seal_framed(&cell_aad(table, column, row), plaintext)
            .map_err(|_| CoordinatorError::Crypto("не удалось зашифровать"))
    }

    /// Open a cell sealed by [`Vault::seal_cell`] for exactly this place; a
    /// cell copied from another row, column or table is refused, naming the
    /// place (never the content).
    pub(crate) fn open_cell(
        &self,
        table: &str,
        column: &str,
        row: i64,
        sealed: &[u8],
    ) -> Result<Vec<u8>> {
        self.seal
            .open_framed(&cell_aad(table, column, row), sealed)
            .ok_or_else(|| {
                CoordinatorError::Corrupt(format!(
                    "зашифрованное значение {table}.{column} в записи №{row} не проходит проверку: \
                     оно изменено или перенесено из другой записи"
                ))
            })
    }

    pub(crate) fn open_cell_str(
        &self,
        table: &str,
        column: &str,
        row: i64,
        sealed: &[u8],
    ) -> Result<String> {
        String::from_utf8(self.open_cell(table, column, row, sealed)?).map_err(|_| {
            CoordinatorError::Corrupt(format!(
                "значение {table}.{column} в записи №{row} не в UTF-8"
            ))
        })
    }

    pub(crate) fn check_value(&self) -> Result<Vec<u8>> {
        self.seal(CHECK_PLAINTEXT)
    }

    /// Whether `sealed` is the check value written under this key.
    pub(crate) fn verify_check(&self, sealed: &[u8]) -> bool {
        matches!(self.open(sealed), Ok(p) if p == CHECK_PLAINTEXT)
    }

    /// A keyed tag of a normalised string: equal inputs give equal tags,
    /// and without the password the tag reveals nothing.
    pub(crate) fn blind_index(&self, s: &str) -> Vec<u8> {
        self.index.tag(s.as_bytes()).to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip_and_wrong_key_fails() {
        let salt = [7u8; SALT_LEN];
        let v = Vault::derive("правильный пароль", &salt, 1000, Scheme::V2).unwrap();
        let sealed = v.seal("Иванов Иван".as_bytes()).unwrap();
        assert!(!sealed.windows(6).any(|w| w == "Иван".as_bytes()));
        assert_eq!(v.open(&sealed).unwrap(), "Иванов Иван".as_bytes());
        let check = v.check_value().unwrap();
        assert!(v.verify_check(&check));
        let wrong = Vault::derive("неправильный", &salt, 1000, Scheme::V2).unwrap();
        assert!(!wrong.verify_check(&check));
        assert!(wrong.open(&sealed).is_err());
        assert_ne!(v.blind_index("a"), wrong.blind_index("a"));
        assert_eq!(v.blind_index("a"), v.blind_index("a"));
        assert!(v.open(&[1, 2, 3]).is_err());
        let legacy = Vault::derive("правильный пароль", &salt, 1000, Scheme::Legacy).unwrap();
        assert!(
            !legacy.verify_check(&check),
            "the schemes give different keys"
        );
        assert_ne!(legacy.blind_index("a"), v.blind_index("a"));
    }

    #[test]
    fn a_cell_opens_only_in_its_own_place() {
        let v = Vault::derive("правильный пароль", &[7u8; SALT_LEN], 1000, Scheme::V2).unwrap();
        let c = v.seal_cell("participants", "name_sealed", 4, b"x").unwrap();
        assert_eq!(
            v.open_cell("participants", "name_sealed", 4, &c).unwrap(),
            b"x"
        );
        for (t, col, row) in [
            ("participants", "name_sealed", 5),
            ("participants", "special_needs_sealed", 4),
            ("staff", "name_sealed", 4),
        ] {
            let e = v.open_cell(t, col, row, &c).unwrap_err().to_string();
            assert!(e.contains(&format!("{t}.{col} в записи №{row}")), "{e}");
        }
        assert!(v.open(&c).is_err(), "a bound cell is not a free one");
    }

    #[test]
    fn iteration_counts_out_of_bounds_are_refused_before_hashing() {
        let t = std::time::Instant::now();
        for n in [0, MAX_ITERATIONS + 1, u32::MAX] {
            let e = Vault::derive("пароль", &[0u8; SALT_LEN], n, Scheme::V2).unwrap_err();
            assert!(matches!(e, CoordinatorError::Corrupt(_)), "{e:?}");
        }
        // u32::MAX iterations would take hours; the refusal is immediate.
        assert!(t.elapsed() < std::time::Duration::from_secs(5));
    }

    /// Cells written by the implementation coordinator databases were
    /// created with before the primitives moved to `vpr-integrity` still
    /// open under the legacy scheme, and blind indexes come out the same.
    #[test]
    fn databases_sealed_before_the_move_still_open() {
        let v = Vault::derive(
            "пароль-координатора",
            &[0x33u8; SALT_LEN],
            1000,
            Scheme::Legacy,
        )
        .unwrap();
        let sealed = hex::decode(
            "3bb162f8da9864decea71440e13f53ddd175f8c54ea5f822fcb67d31ba78a381b7c1deafbef0657dfb5bf985437a11bf760f",
        )
        .unwrap();
        assert_eq!(v.open(&sealed).unwrap(), "Иванов|Иван|".as_bytes());
        let check = hex::decode(
            "a2e2c6771273e20fee8dae3a73929ff4ad6d5e5a4f7efa627a94b3d10ea6c57b9ab7f13a9d3cbd9272873894758ad1642d27a92c81ae7c78",
        )
        .unwrap();
        assert!(v.verify_check(&check));
        assert_eq!(
            hex::encode(v.blind_index("7а|иванов|иван|")),
            "9c87a53e8903e19be0f79d9935afe97650e16c7deb21f532c75a0a2994d8c5fa"
        );
    }
}
