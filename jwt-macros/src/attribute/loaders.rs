//! `loaders![a, b, ..]`: the loaders to register, each named once. Each name
//! is also recorded for the launch check (a loader no `loaders![..]` lists
//! refuses the launch, since it would never run).

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;

use crate::diagnostics::Errors;

pub fn expand(input: TokenStream) -> TokenStream {
    let parser = Punctuated::<syn::Path, syn::Token![,]>::parse_terminated;
    let paths = match parser.parse2(input) {
        Ok(p) => p,
        Err(e) => {
            let mut errors = Errors::default();
            errors.at(
                e.span(),
                "`loaders![..]` lists loader functions by name, separated by commas, \
                 e.g. `loaders![load_user, is_revoked]`",
            );
            return empty_with(errors);
        }
    };
    let mut errors = Errors::default();
    let mut seen: Vec<String> = Vec::new();
    for path in &paths {
        let spelled = quote!(#path).to_string().replace(' ', "");
        if seen.contains(&spelled) {
            errors.at(
                path.span(),
                format!("`{spelled}` is listed twice in `loaders![..]`; list it once"),
            );
        }
        seen.push(spelled);
    }
    if !errors.is_empty() {
        return empty_with(errors);
    }
    let items = paths.iter().enumerate().map(|(i, path)| {
        // One resolution of the name, so a name that is not a loader is
        // reported once, at the name.
        let alias = syn::Ident::new(&format!("__JwtLoader{i}"), Span::mixed_site());
        quote_spanned! {path.span()=>
            {
                #[allow(non_camel_case_types)]
                type #alias = #path;
                ::rocket_jwt_extended::__private::inventory::submit! {
                    ::rocket_jwt_extended::__private::Listed {
                        id: || ::std::any::TypeId::of::<#alias>(),
                    }
                }
                <#alias as ::rocket_jwt_extended::IntoLoader>::into_loader(#alias {})
            }
        }
    });
    quote!(::std::vec![#(#items),*])
}

/// The errors, as the statements of a block whose value is an empty list (so
/// the call around `loaders![..]` still type-checks).
fn empty_with(errors: Errors) -> TokenStream {
    let errors = errors.emit_with(TokenStream::new());
    quote!({
        #errors
        ::std::vec::Vec::<::rocket_jwt_extended::Loader>::new()
    })
}
