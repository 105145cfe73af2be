//! Signed station results bundle: writer with read-back, streaming verifier
