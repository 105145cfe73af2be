//! Issuer keys: the signing side (private key) and the stations' trust list.

use std::path::Path;

use ring::{
    digest,
    rand::SystemRandom,
    signature::{Ed25519KeyPair, KeyPair, UnparsedPublicKey, ED25519},
};

use crate::{PackageError, Result};

/// The project's demonstration issuer (hex Ed25519 public key). Its private
/// key is committed as `audio-fixtures/issuer/demo-issuer.DEMO-ONLY.pk8` so
/// anyone can build the demo packages: a package signed by it is never a
/// real exam. Real issuers keep their private key offline.
pub const DEMO_ISSUER_PUBLIC_KEY: &str =
    "c20e9bc778495dfbaf4128029f4aa244d1a38c8d94104eb7493f6ecfbb1550e0";

/// SHA-256 of an Ed25519 public key, lower-case hex (64 characters).
pub fn fingerprint(public_key: &[u8; 32]) -> String {
    hex::encode(digest::digest(&digest::SHA256, public_key))
}

/// An issuer public key a station accepts packages from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerKey {
    pub public_key: [u8; 32],
    pub fingerprint: String,
    /// Shown to the technician, e.g. «Демонстрационный ключ проекта».
    pub label: String,
    /// The project's demo key: its packages are training material only.
    pub demo: bool,
}

impl IssuerKey {
    pub fn new(public_key: [u8; 32], label: impl Into<String>) -> Self {
        let fingerprint = fingerprint(&public_key);
        let demo = hex::encode(public_key) == DEMO_ISSUER_PUBLIC_KEY;
        Self {
            public_key,
            fingerprint,
            label: label.into(),
            demo,
        }
    }

    /// Parse a public key given as 64 hex characters or as 32 raw bytes.
    pub fn parse(bytes: &[u8], label: impl Into<String>) -> Result<Self> {
        let key: [u8; 32] = match <[u8; 32]>::try_from(bytes) {
            Ok(raw) => raw,
            Err(_) => {
                let text = std::str::from_utf8(bytes).map_err(|_| {
                    PackageError::BadIssuerKey("ожидается 64 шестнадцатеричных символа".into())
                })?;
                let decoded = hex::decode(text.trim()).map_err(|_| {
                    PackageError::BadIssuerKey("ожидается 64 шестнадцатеричных символа".into())
                })?;
                <[u8; 32]>::try_from(decoded.as_slice()).map_err(|_| {
                    PackageError::BadIssuerKey("открытый ключ Ed25519 — 32 байта".into())
                })?
            }
        };
        Ok(Self::new(key, label))
    }

    /// Read a public key file (hex text or 32 raw bytes).
    pub fn read(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(PackageError::io(path))?;
        Self::parse(&bytes, path.display().to_string())
    }
}

pub(crate) fn verify(public_key: &[u8; 32], message: &[u8], signature: &[u8]) -> bool {
    UnparsedPublicKey::new(&ED25519, public_key)
        .verify(message, signature)
        .is_ok()
}

/// The issuer public keys a station accepts, configured by the caller.
#[derive(Debug, Clone, Default)]
pub struct TrustedIssuers {
    keys: Vec<IssuerKey>,
}

impl TrustedIssuers {
    /// Trust nobody (add keys with [`TrustedIssuers::add`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// Trust only the project's demonstration key.
    pub fn demo() -> Self {
        let mut trust = Self::new();
        trust.add(Self::demo_key());
        trust
    }

    /// The project's demonstration key.
    pub fn demo_key() -> IssuerKey {
        let mut key = [0u8; 32];
        // The constant is checked by a test; a bad constant would give an
        // all-zero key that verifies nothing, never a panic.
        if let Ok(bytes) = hex::decode(DEMO_ISSUER_PUBLIC_KEY) {
            if let Ok(raw) = <[u8; 32]>::try_from(bytes.as_slice()) {
                key = raw;
            }
        }
        IssuerKey::new(
            key,
            "Демонстрационный ключ проекта (только для учебных пакетов)",
        )
    }

    pub fn add(&mut self, key: IssuerKey) {
        if self.find(&key.fingerprint).is_none() {
            self.keys.push(key);
        }
    }

    pub fn find(&self, fingerprint: &str) -> Option<&IssuerKey> {
        self.keys.iter().find(|k| k.fingerprint == fingerprint)
    }

    pub fn keys(&self) -> &[IssuerKey] {
        &self.keys
    }
}

/// The issuer's signing key (PKCS#8 Ed25519), used only where packages are built.
pub struct Issuer {
    key_pair: Ed25519KeyPair,
}

impl std::fmt::Debug for Issuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issuer")
            .field("fingerprint", &fingerprint(&self.public_key()))
            .finish_non_exhaustive()
    }
}

impl Issuer {
    /// A PKCS#8 (v1 or v2) Ed25519 private key, as written by
    /// [`Issuer::generate_pkcs8`] or `openssl genpkey -algorithm ed25519 -outform DER`.
    pub fn from_pkcs8(der: &[u8]) -> Result<Self> {
        let key_pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(der).map_err(|e| {
            PackageError::BadIssuerKey(format!(
                "это не закрытый ключ Ed25519 в формате PKCS#8 ({e})"
            ))
        })?;
        Ok(Self { key_pair })
    }

    pub fn read(path: &Path) -> Result<Self> {
        let der = std::fs::read(path).map_err(PackageError::io(path))?;
        Self::from_pkcs8(&der)
    }

    /// A fresh private key, PKCS#8 v2 DER.
    pub fn generate_pkcs8() -> Result<Vec<u8>> {
        Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .map(|doc| doc.as_ref().to_vec())
            .map_err(|_| PackageError::Crypto)
    }

    pub fn public_key(&self) -> [u8; 32] {
        let mut key = [0u8; 32];
        key.copy_from_slice(self.key_pair.public_key().as_ref());
        key
    }

    pub fn fingerprint(&self) -> String {
        fingerprint(&self.public_key())
    }

    /// The public key as 64 hex characters (the `.pub` file format).
    pub fn public_key_hex(&self) -> String {
        hex::encode(self.public_key())
    }

    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 64] {
        let mut sig = [0u8; 64];
        sig.copy_from_slice(self.key_pair.sign(message).as_ref());
        sig
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../audio-fixtures/issuer")
            .join(name)
    }

    #[test]
    fn demo_constant_matches_the_committed_key_pair() {
        let issuer = Issuer::read(&fixture("demo-issuer.DEMO-ONLY.pk8")).unwrap();
        assert_eq!(hex::encode(issuer.public_key()), DEMO_ISSUER_PUBLIC_KEY);
        let public = IssuerKey::read(&fixture("demo-issuer.pub")).unwrap();
        assert_eq!(public.public_key, TrustedIssuers::demo_key().public_key);
        assert!(public.demo);
        let sig = issuer.sign(b"message");
        assert!(verify(&public.public_key, b"message", &sig));
        assert!(!verify(&public.public_key, b"messagf", &sig));
    }

    #[test]
    fn public_keys_parse_from_hex_or_raw_and_refuse_junk() {
        let der = Issuer::generate_pkcs8().unwrap();
        let issuer = Issuer::from_pkcs8(&der).unwrap();
        let raw = IssuerKey::parse(&issuer.public_key(), "raw").unwrap();
        let text = IssuerKey::parse(
            format!("{}\n", hex::encode(issuer.public_key())).as_bytes(),
            "hex",
        )
        .unwrap();
        assert_eq!(raw.public_key, text.public_key);
        assert_eq!(raw.fingerprint, issuer.fingerprint());
        assert!(!raw.demo);
        assert!(matches!(
            IssuerKey::parse(b"abcd", "x"),
            Err(PackageError::BadIssuerKey(_))
        ));
        assert!(matches!(
            Issuer::from_pkcs8(b"not a key"),
            Err(PackageError::BadIssuerKey(_))
        ));
        let mut trust = TrustedIssuers::demo();
        trust.add(raw.clone());
        trust.add(raw);
        assert_eq!(trust.keys().len(), 2);
        assert!(trust.find(&issuer.fingerprint()).is_some());
    }
}
