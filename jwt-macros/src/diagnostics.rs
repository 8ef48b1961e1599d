//! Shared error helpers: accumulate independent errors, suggest the closest name.

use proc_macro2::{Span, TokenStream};

/// Collects errors so that every independent mistake is reported at once.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(e) => e.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub fn at(&mut self, span: Span, message: impl std::fmt::Display) {
        self.push(syn::Error::new(span, message));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The errors as `compile_error!`s, followed by `fallback` (the user's item,
    /// re-emitted so that nothing else cascades).
    pub fn emit_with(self, fallback: TokenStream) -> TokenStream {
        let mut out = self.0.map(|e| e.to_compile_error()).unwrap_or_default();
        out.extend(fallback);
        out
    }
}

/// ` did you mean `x`?` when a candidate is close enough, else "".
pub fn did_you_mean(given: &str, candidates: &[&str]) -> String {
    rocket_jwt_extended_spec::closest(given, candidates)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

/// `a`, `b`, `c`
pub fn list(candidates: &[&str]) -> String {
    candidates
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
