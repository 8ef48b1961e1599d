//! The item an attribute is applied to: parse it as a function or say where
//! the attribute belongs, re-emitting the item untouched so nothing cascades.

use proc_macro2::{Span, TokenStream};
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, PatType, Signature};

use crate::diagnostics::Errors;

/// The span of an item's name (or keyword), for "wrong item" errors.
fn item_span(item: &syn::Item) -> Span {
    use syn::Item::*;
    match item {
        Struct(s) => s.ident.span(),
        Enum(e) => e.ident.span(),
        Const(c) => c.ident.span(),
        Static(s) => s.ident.span(),
        Mod(m) => m.ident.span(),
        Trait(t) => t.ident.span(),
        Type(t) => t.ident.span(),
        Impl(i) => i.impl_token.span,
        other => other.span(),
    }
}

/// `item` as a function; otherwise an error showing `example`, and the item
/// itself to re-emit.
pub fn parse_fn(
    attribute: &str,
    example: &str,
    item: TokenStream,
    errors: &mut Errors,
) -> Result<ItemFn, TokenStream> {
    match syn::parse2::<ItemFn>(item.clone()) {
        Ok(f) => Ok(f),
        Err(_) => {
            let span = syn::parse2::<syn::Item>(item.clone())
                .map(|i| item_span(&i))
                .unwrap_or_else(|_| Span::call_site());
            errors.at(
                span,
                format!("`#[{attribute}]` goes on a function, e.g.\n{example}"),
            );
            Err(item)
        }
    }
}

/// The typed (non-`self`) parameters of a signature.
pub fn typed_inputs(sig: &Signature) -> Vec<&PatType> {
    sig.inputs
        .iter()
        .filter_map(|a| match a {
            FnArg::Typed(t) => Some(t),
            FnArg::Receiver(_) => None,
        })
        .collect()
}
