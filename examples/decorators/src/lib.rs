//! `#[editor_required]`: a decorator of an application's own.
//!
//! It expands to rocket-jwt-extended's `#[jwt_required(check = ..)]` with the
//! application's `#[jwt_check]` function `crate::editors_only`, and passes
//! every other argument through, so it composes like the original:
//!
//! ```text
//! #[editor_required]                      // = #[jwt_required(check = crate::editors_only)]
//! #[editor_required(fresh)]               // = #[jwt_required(check = crate::editors_only, fresh)]
//! #[editor_required(locations = ["cookies"])]
//! ```
//!
//! The arguments are handed on with their spans, so a mistake in them
//! (`#[editor_required(frsh)]`) is reported at the user's token by
//! `#[jwt_required]` itself, with its "did you mean" hint.

use proc_macro::TokenStream;
use proc_macro2::{TokenStream as TokenStream2, TokenTree};
use quote::{quote, quote_spanned};

/// Requires a valid access token whose identity is an editor; any argument
/// of `#[jwt_required]` but `check` may follow.
#[proc_macro_attribute]
pub fn editor_required(args: TokenStream, item: TokenStream) -> TokenStream {
    let args = TokenStream2::from(args);
    let item = TokenStream2::from(item);
    for token in args.clone() {
        if let TokenTree::Ident(ident) = &token {
            if ident == "check" {
                return quote_spanned! {ident.span()=>
                    ::core::compile_error!(
                        "`#[editor_required]` sets `check` itself; for another check use `#[jwt_required(check = ..)]`"
                    );
                    #item
                }
                .into();
            }
        }
    }
    let args = if args.is_empty() {
        args
    } else {
        quote!(, #args)
    };
    quote! {
        #[::rocket_jwt_extended::jwt_required(check = crate::editors_only #args)]
        #item
    }
    .into()
}
