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
                    did_you_mean(&name, accepted),
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
    if meta.input.peek(syn::Token![=]) {
        let expr: Expr = meta.value()?.parse()?;
        match &expr {
            Expr::Lit(ExprLit {
                lit: Lit::Bool(b), ..
            }) => Ok((b.value, expr.span())),
            _ => Err(syn::Error::new(
                expr.span(),
                format!(
                    "`{}` takes `true` or `false`",
                    meta.path
                        .get_ident()
                        .map(|i| i.to_string())
                        .unwrap_or_default()
                ),
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
    let one = |e: &Expr| match e {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Ok((s.value(), s.span())),
        other => Err(syn::Error::new(
            other.span(),
            "expected a string literal, e.g. \"headers\"",
        )),
    };
    match &expr {
        Expr::Array(arr) => Ok((arr.elems.iter().map(one).collect::<syn::Result<_>>()?, span)),
        other => Ok((vec![one(other)?], span)),
    }
}

/// `NAME = path` or `NAME = [path, ...]`: the functions named.
pub fn paths(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<syn::Path>> {
    let expr: Expr = meta.value()?.parse()?;
    let one = |e: &Expr| match e {
        Expr::Path(p) if p.qself.is_none() => Ok(p.path.clone()),
        other => Err(syn::Error::new(
            other.span(),
            "expected the name of a `#[jwt_check]` function, e.g. `check = admins_only`",
        )),
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
