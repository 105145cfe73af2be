//! Coordinator workflow: roster, codes, protocol, scoring, results form, statistics
