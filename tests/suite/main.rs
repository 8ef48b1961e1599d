//! Integration tests through `rocket::local`, one binary for link speed.
//! Each module pins the rows of the behaviour reference it is named after.

#[macro_use]
extern crate rocket;

mod common;

mod config;
mod cookies;
mod db_loaders;
mod decoding;
mod decorators;
mod examples;
mod header_location;
mod implicit_refresh;
mod interop;
mod launch;
mod loaders;
mod locations;
mod routes;
mod tokens;
mod type_fresh;
