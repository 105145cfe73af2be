//! SHA-256 hash chain, Ed25519 station keys, RFC 6962 Merkle roots
