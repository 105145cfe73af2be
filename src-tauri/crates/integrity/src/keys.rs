//! The Ed25519 station key (ring).
//!
//! Created once when the technician sets the station up: the PKCS#8
//! document goes to `station-key.pk8` (owner-only, written atomically) in
//! the station's data directory, the raw public key to `station-key.pub`
//! (hex). The fingerprint — SHA-256 of the 32-byte public key — is what the
//! technician reads out and the coordinator records as trusted.

use std::{
    fmt, fs,
    io::Write,
    path::{Path, PathBuf},
    str::FromStr,
};

use ring::{
    rand::SystemRandom,
    signature::{self, Ed25519KeyPair, KeyPair},
};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{io_err, sha256, IntegrityError, Result, Sha256Hash};

/// The private key file in the station data directory.
pub const KEY_FILE: &str = "station-key.pk8";
/// The public key file (64 hex digits) beside it.
pub const PUBLIC_KEY_FILE: &str = "station-key.pub";

/// A station's Ed25519 key pair.
pub struct StationKey {
    pair: Ed25519KeyPair,
}

impl fmt::Debug for StationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StationKey({})", self.public_key().fingerprint())
    }
}

impl StationKey {
    /// Create a fresh key in `dir`; refuses to overwrite an existing one.
    pub fn create(dir: &Path) -> Result<Self> {
        let path = dir.join(KEY_FILE);
        if path.exists() {
            return Err(IntegrityError::KeyExists(path.display().to_string()));
        }
        fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .map_err(|_| IntegrityError::NoRandom)?;
        let key = Self::from_pkcs8(pkcs8.as_ref())?;
        write_atomically(&path, pkcs8.as_ref(), 0o600)?;
        write_atomically(
            &dir.join(PUBLIC_KEY_FILE),
            format!("{}\n", key.public_key().to_hex()).as_bytes(),
            0o644,
        )?;
        Ok(key)
    }

    /// Load the key of `dir`; refuses a key file readable by others.
    pub fn load(dir: &Path) -> Result<Self> {
        let path = dir.join(KEY_FILE);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(IntegrityError::KeyMissing(path.display().to_string()))
            }
            Err(e) => return Err(io_err(&path, e)),
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path)
                .map_err(|e| io_err(&path, e))?
                .permissions()
                .mode();
            if mode & 0o077 != 0 {
                return Err(IntegrityError::KeyPermissions {
                    path: path.display().to_string(),
                    mode: mode & 0o777,
                });
            }
        }
        Self::from_pkcs8(&bytes)
    }

    /// Load the key of `dir`, creating it first if there is none.
    pub fn load_or_create(dir: &Path) -> Result<Self> {
        if dir.join(KEY_FILE).exists() {
            Self::load(dir)
        } else {
            Self::create(dir)
        }
    }

    /// A key from a PKCS#8 v2 document (as written by [`StationKey::create`]).
    pub fn from_pkcs8(bytes: &[u8]) -> Result<Self> {
        let pair =
            Ed25519KeyPair::from_pkcs8(bytes).map_err(|e| IntegrityError::BadKey(e.to_string()))?;
        Ok(Self { pair })
    }

    /// A deterministic key from a 32-byte seed (simulation and tests).
    pub fn from_seed(seed: &[u8; 32]) -> Result<Self> {
        let pair = Ed25519KeyPair::from_seed_unchecked(seed)
            .map_err(|e| IntegrityError::BadKey(e.to_string()))?;
        Ok(Self { pair })
    }

    pub fn public_key(&self) -> PublicKey {
        let mut out = [0u8; 32];
        out.copy_from_slice(self.pair.public_key().as_ref());
        PublicKey(out)
    }

    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        let mut out = [0u8; 64];
        out.copy_from_slice(self.pair.sign(message).as_ref());
        out
    }
}

/// A raw Ed25519 public key; serialised as 64 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey(pub [u8; 32]);

impl PublicKey {
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    pub fn from_hex(s: &str) -> Result<Self> {
        let mut out = [0u8; 32];
        hex::decode_to_slice(s.trim(), &mut out)
            .map_err(|_| IntegrityError::BadKey(format!("не открытый ключ: {s:?}")))?;
        Ok(Self(out))
    }

    /// Read a `station-key.pub` file.
    pub fn read_file(path: &Path) -> Result<Self> {
        let text = fs::read_to_string(path).map_err(|e| io_err(path, e))?;
        Self::from_hex(text.trim())
    }

    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint(sha256(&self.0))
    }

    /// Check an Ed25519 signature over `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        signature::UnparsedPublicKey::new(&signature::ED25519, &self.0)
            .verify(message, signature)
            .map_err(|_| IntegrityError::BadSignature(self.fingerprint()))
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.to_hex())
    }
}

impl Serialize for PublicKey {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for PublicKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::from_hex(&s).map_err(serde::de::Error::custom)
    }
}

/// SHA-256 of a station's public key. Displayed as 16 groups of four hex
/// digits (`3f2a-9c01-…`); parsing ignores case and `-`, `:` and spaces.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint(pub Sha256Hash);

impl Fingerprint {
    /// 64 lowercase hex digits without separators.
    pub fn to_hex(&self) -> String {
        self.0.to_hex()
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex = self.0.to_hex();
        for (i, chunk) in hex.as_bytes().chunks(4).enumerate() {
            if i > 0 {
                f.write_str("-")?;
            }
            f.write_str(std::str::from_utf8(chunk).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

impl FromStr for Fingerprint {
    type Err = IntegrityError;
    fn from_str(s: &str) -> Result<Self> {
        let cleaned: String = s
            .chars()
            .filter(|c| !matches!(c, '-' | ':' | ' '))
            .collect::<String>()
            .to_ascii_lowercase();
        if cleaned.len() != 64 {
            return Err(IntegrityError::BadFingerprint(s.to_string()));
        }
        Sha256Hash::from_hex(&cleaned)
            .map(Fingerprint)
            .map_err(|_| IntegrityError::BadFingerprint(s.to_string()))
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

fn write_atomically(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    let tmp: PathBuf = path.with_extension("tmp");
    {
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
        #[cfg(not(unix))]
        let _ = mode;
        let mut f = options.open(&tmp).map_err(|e| io_err(&tmp, e))?;
        f.write_all(bytes).map_err(|e| io_err(&tmp, e))?;
        f.sync_all().map_err(|e| io_err(&tmp, e))?;
    }
    fs::rename(&tmp, path).map_err(|e| io_err(path, e))?;
    if let Some(dir) = path.parent() {
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_load_sign_verify() {
        let dir = tempfile::tempdir().unwrap();
        let key = StationKey::create(dir.path()).unwrap();
        assert!(matches!(
            StationKey::create(dir.path()),
            Err(IntegrityError::KeyExists(_))
        ));
        let loaded = StationKey::load(dir.path()).unwrap();
        assert_eq!(key.public_key(), loaded.public_key());
        let sig = loaded.sign(b"manifest");
        key.public_key().verify(b"manifest", &sig).unwrap();
        assert!(key.public_key().verify(b"manifesT", &sig).is_err());
        let public = PublicKey::read_file(&dir.path().join(PUBLIC_KEY_FILE)).unwrap();
        assert_eq!(public, key.public_key());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let p = dir.path().join(KEY_FILE);
            assert_eq!(
                fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o600
            );
            fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).unwrap();
            assert!(matches!(
                StationKey::load(dir.path()),
                Err(IntegrityError::KeyPermissions { .. })
            ));
        }
    }

    #[test]
    fn fingerprint_round_trips_loosely() {
        let key = StationKey::from_seed(&[7u8; 32]).unwrap();
        let fp = key.public_key().fingerprint();
        let shown = fp.to_string();
        assert_eq!(shown.len(), 64 + 15);
        assert_eq!(shown.parse::<Fingerprint>().unwrap(), fp);
        assert_eq!(
            fp.to_hex().to_uppercase().parse::<Fingerprint>().unwrap(),
            fp
        );
        assert!("abcd".parse::<Fingerprint>().is_err());
        assert!(StationKey::load(Path::new("/nonexistent-vpr")).is_err());
        assert!(StationKey::from_pkcs8(b"junk").is_err());
    }
}
