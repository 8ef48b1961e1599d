//! Parsing of attribute arguments into typed values (flags, `name = value`).

use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, Lit};

use crate::diagnostics::{did_you_mean, list, Errors};

/// Parses `attr(a, b = x, ...)`, handing each argument to `each`, which returns
/// `false` for names it does not know. Unknown and repeated names become errors
/// listing the accepted ones.
pub fn parse_args(
    attribute: &str,
    accepted: &[&str],
    args: TokenStream,
    errors: &mut Errors,
    mut each: impl FnMut(&str, &ParseNestedMeta<'_>, &mut Errors) -> syn::Result<bool>,
) {
    let mut seen: Vec<String> = Vec::new();
    let parser = syn::meta::parser(|meta| {
        let name = meta
            .path
            .get_ident()
            .map(|i| i.to_string())
            .unwrap_or_else(|| {
                quote::ToTokens::to_token_stream(&meta.path)
                    .to_string()
                    .replace(' ', "")
            });
        let span = meta.path.span();
        if seen.contains(&name) {
            errors.at(
                span,
                format!("duplicate argument `{name}` to `#[{attribute}]`; give it once"),
            );
            skip_value(&meta)?;
            return Ok(());
        }
        seen.push(name.clone());
        if !each(&name, &meta, errors)? {
            errors.at(
                span,
                format!(
                    "unknown argument `{name}` to `#[{attribute}]`{}\nexpected one of: {}",
                    hint_for_unknown(&name, accepted),
                    list(accepted)
                ),
            );
            skip_value(&meta)?;
        }
        Ok(())
    });
    if let Err(e) = syn::parse::Parser::parse2(parser, args) {
        errors.push(e);
    }
}

/// The hint after "unknown argument": a negated flag is spelled with
/// `= false`, otherwise the closest accepted name.
fn hint_for_unknown(name: &str, accepted: &[&str]) -> String {
    let negated = ["no_", "not_", "skip_", "dont_", "without_"]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .filter(|rest| accepted.contains(rest));
    match negated {
        Some("verify_type") => {
            "; write `verify_type = false` to accept both token types".to_owned()
        }
        Some(flag) => {
            format!("; `{flag}` is off unless given: leave it out (or write `{flag} = false`)")
        }
        None => did_you_mean(name, accepted),
    }
}

/// Consumes `= value` or `(...)` after an argument we reject.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _content;
        syn::parenthesized!(_content in meta.input);
        let _: TokenStream = _content.parse()?;
    }
    Ok(())
}

/// A flag: `name` (true) or `name = true|false`.
pub fn flag(meta: &ParseNestedMeta<'_>) -> syn::Result<(bool, Span)> {
    let span = meta.path.span();
    let name = meta
        .path
        .get_ident()
        .map(|i| i.to_string())
        .unwrap_or_default();
    if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        let inner: TokenStream = content.parse()?;
        let value = inner.to_string();
        let fix = match value.as_str() {
            "false" | "False" => format!("`{name} = false` (or leave it out)"),
            _ => format!("`{name}` or `{name} = true`"),
        };
        return Err(syn::Error::new(
            span,
            format!("`{name}` is a flag, not a call: write {fix}"),
        ));
    }
    if meta.input.peek(syn::Token![=]) {
        let expr: Expr = meta.value()?.parse()?;
        match &expr {
            Expr::Lit(ExprLit {
                lit: Lit::Bool(b), ..
            }) => Ok((b.value, expr.span())),
            Expr::Path(p) if p.path.is_ident("True") || p.path.is_ident("False") => {
                Err(syn::Error::new(
                    expr.span(),
                    format!("`{name}` takes `true` or `false` (lowercase, as in Rust)"),
                ))
            }
            _ => Err(syn::Error::new(
                expr.span(),
                format!("`{name}` takes `true` or `false`, e.g. `{name} = true`"),
            )),
        }
    } else {
        Ok((true, span))
    }
}

/// A string or a list of strings: `name = "a"` or `name = ["a", "b"]`.
pub fn strings(meta: &ParseNestedMeta<'_>) -> syn::Result<(Vec<(String, Span)>, Span)> {
    let expr: Expr = meta.value()?.parse()?;
    let span = expr.span();
    let name = meta
        .path
        .get_ident()
        .map(|i| i.to_string())
        .unwrap_or_default();
    let one = |e: &Expr| match e {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Ok((s.value(), s.span())),
        Expr::Path(p) if p.path.get_ident().is_some() => {
            let word = p
                .path
                .get_ident()
                .map(|i| i.to_string())
                .unwrap_or_default();
            Err(syn::Error::new(
                p.span(),
                format!("write the location as a string: `\"{word}\"`"),
            ))
        }
        other => Err(syn::Error::new(
            other.span(),
            "expected a string literal, e.g. \"headers\"",
        )),
    };
    match &expr {
        Expr::Array(arr) => Ok((arr.elems.iter().map(one).collect::<syn::Result<_>>()?, span)),
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) if s.value().contains(',') || s.value().trim().contains(' ') => {
            let names: Vec<String> = s
                .value()
                .split([',', ' '])
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(|n| format!("\"{n}\""))
                .collect();
            Err(syn::Error::new(
                s.span(),
                format!(
                    "one location per string: write a list, `{name} = [{}]`",
                    names.join(", ")
                ),
            ))
        }
        other => Ok((vec![one(other)?], span)),
    }
}

/// `NAME = path` or `NAME = [path, ...]`: the functions named.
pub fn paths(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<syn::Path>> {
    let expr: Expr = meta.value()?.parse()?;
    let one = |e: &Expr| {
        match e {
        Expr::Path(p) if p.qself.is_none() => Ok(p.path.clone()),
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Err(syn::Error::new(
            s.span(),
            format!(
                "name the `#[jwt_check]` function itself, without quotes: `check = {}`",
                s.value()
            ),
        )),
        Expr::Call(c) => Err(syn::Error::new(
            c.paren_token.span.join(),
            "name the `#[jwt_check]` function without calling it: the manager calls it for each request",
        )),
        other => Err(syn::Error::new(
            other.span(),
            "expected the name of a `#[jwt_check]` function, e.g. `check = admins_only`",
        )),
    }
    };
    match &expr {
        Expr::Array(arr) if arr.elems.is_empty() => Err(syn::Error::new(
            arr.span(),
            "`check` needs at least one `#[jwt_check]` function",
        )),
        Expr::Array(arr) => arr.elems.iter().map(one).collect(),
        other => Ok(vec![one(other)?]),
    }
}
