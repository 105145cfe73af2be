//! Exam package model, validation and the session state machine
