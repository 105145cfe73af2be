//! Signed, encrypted exam package container (.vprpkg)
