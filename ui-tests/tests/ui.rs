//! Compile-pass and compile-fail cases for the attribute macros. Each failing
//! case holds one misuse; its `.stderr` pins the span and the message.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/pass/*.rs");
    t.compile_fail("tests/fail/*.rs");
}
