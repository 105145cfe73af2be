//! Durable SQLite answer journal (WAL, synchronous=FULL) with a hash chain
