//! Holds only the bindings drift test (`tests/bindings.rs`): every type the UI sees is listed there.
