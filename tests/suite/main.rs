//! Integration tests through `rocket::local`, one binary for link speed.
//! Each module pins the rows of the behaviour reference it is named after.

#[macro_use]
extern crate rocket;

mod common;

mod config;
mod decoding;
mod header_location;
mod interop;
mod routes;
mod tokens;
mod type_fresh;
