//! `#[additional_claims]` and `#[additional_headers]`: the user's function is
//! kept as written; beside it, a hidden struct of the same name (type
//! namespace only, like Rocket's route structs) converts into a loader for
//! `loaders![..]`.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, ReturnType};

use crate::diagnostics::Errors;

/// Which encode-side loader.
#[derive(Clone, Copy)]
pub enum Kind {
    AdditionalClaims,
    AdditionalHeaders,
    EncodeKey,
}

impl Kind {
    fn attribute(self) -> &'static str {
        match self {
            Kind::AdditionalClaims => "additional_claims",
            Kind::AdditionalHeaders => "additional_headers",
            Kind::EncodeKey => "encode_key",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Kind::AdditionalClaims => "additional claims",
            Kind::AdditionalHeaders => "additional headers",
            Kind::EncodeKey => "signing secret",
        }
    }

    fn example(self) -> &'static str {
        match self {
            Kind::AdditionalClaims => {
                "#[additional_claims]\nfn add_claims(identity: &str) -> serde_json::Value {\n    json!({ \"role\": \"admin\" })\n}"
            }
            Kind::AdditionalHeaders => {
                "#[additional_headers]\nfn add_headers(identity: &str) -> serde_json::Value {\n    json!({ \"kid\": \"key-1\" })\n}"
            }
            Kind::EncodeKey => {
                "#[encode_key]\nfn key_for(identity: &str) -> String {\n    secrets::for_user(identity)\n}"
            }
        }
    }
}

/// Checks shared by every loader attribute: a plain, non-generic, free function.
pub fn check_loader_fn(
    attribute: &str,
    example: &str,
    item: TokenStream,
    errors: &mut Errors,
) -> Result<ItemFn, TokenStream> {
    let func = crate::item::parse_fn(attribute, example, item, errors)?;
    if let Some(FnArg::Receiver(r)) = func.sig.inputs.first() {
        errors.at(
            r.span(),
            format!("a `#[{attribute}]` loader is a free function, not a method: remove `self`\n{example}"),
        );
    }
    if !func.sig.generics.params.is_empty() || func.sig.generics.where_clause.is_some() {
        errors.at(
            func.sig.generics.span(),
            format!("a `#[{attribute}]` loader cannot be generic: the manager calls it with concrete types\n{example}"),
        );
    }
    Ok(func)
}

pub fn expand(kind: Kind, args: TokenStream, item: TokenStream) -> TokenStream {
    let attribute = kind.attribute();
    let mut errors = Errors::default();
    if !args.is_empty() {
        errors.at(args.span(), format!("`#[{attribute}]` takes no arguments"));
    }
    let func = match check_loader_fn(attribute, kind.example(), item, &mut errors) {
        Ok(f) => f,
        Err(item) => return errors.emit_with(item),
    };
    let typed = crate::item::typed_inputs(&func.sig);
    if typed.len() != 1 {
        let span = if typed.len() > 1 {
            typed[1].span()
        } else {
            func.sig.paren_token.span.join()
        };
        errors.at(
            span,
            format!(
                "a `#[{attribute}]` loader takes exactly one parameter, the identity (`&str`, or `&User` for a type with a `#[user_identity]` function)\n{}",
                kind.example()
            ),
        );
    }
    if let ReturnType::Default = func.sig.output {
        let returns = match kind {
            Kind::EncodeKey => {
                "the signing secret (`String`, `&'static str` or `Vec<u8>`)".to_owned()
            }
            _ => format!(
                "the {} as a JSON object (e.g. `serde_json::Value` or a `Serialize` struct)",
                kind.what()
            ),
        };
        errors.at(
            func.sig.ident.span(),
            format!(
                "a `#[{attribute}]` loader returns {returns}\n{}",
                kind.example()
            ),
        );
    }
    if !errors.is_empty() {
        return errors.emit_with(quote!(#func));
    }

    let name = &func.sig.ident;
    let name_str = name.to_string();
    let vis = &func.vis;
    let what = kind.what();
    let ty = &typed[0].ty;
    let ret_span = match &func.sig.output {
        ReturnType::Type(_, t) => t.span(),
        ReturnType::Default => name.span(),
    };
    // The glue's own names are hygienic (mixed-site), so a loader called
    // `identity`, `raw` or `adapter` is neither shadowed nor captured.
    let local = |n: &str| syn::Ident::new(n, Span::mixed_site());
    let (identity, raw, arg) = (local("identity"), local("raw"), local("arg"));
    // Bound only after the user's function returned, so it cannot capture a
    // user name; its span is the return type's (a span with the macro's own
    // hygiene would be reported at the attribute instead), so a type that is
    // not `Serialize` is reported there.
    let out = syn::Ident::new("__jwt_out", ret_span);
    let extract = quote_spanned! {ty.span()=>
        <#ty as ::rocket_jwt_extended::FromIdentity<'a>>::from_identity(#identity, #raw, #name_str)?
    };
    let call = if func.sig.asyncness.is_some() {
        quote!(#name(#arg).await)
    } else {
        quote!(#name(#arg))
    };
    let convert = match kind {
        Kind::EncodeKey => quote_spanned! {ret_span=>
            ::std::result::Result::Ok(::rocket_jwt_extended::IntoKey::into_key(#out))
        },
        _ => quote_spanned! {ret_span=>
            ::rocket_jwt_extended::__private::into_object(#out, #what)
        },
    };
    let (constructor, output) = match kind {
        Kind::AdditionalClaims => (
            quote!(additional_claims),
            quote!(::rocket_jwt_extended::__private::LoaderFuture<'a>),
        ),
        Kind::AdditionalHeaders => (
            quote!(additional_headers),
            quote!(::rocket_jwt_extended::__private::LoaderFuture<'a>),
        ),
        Kind::EncodeKey => (
            quote!(encode_key),
            quote!(
                ::rocket_jwt_extended::__private::BoxFuture<
                    'a,
                    ::std::result::Result<::std::vec::Vec<u8>, ::rocket_jwt_extended::EncodeError>,
                >
            ),
        ),
    };
    quote! {
        #func

        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #vis struct #name {}

        impl ::rocket_jwt_extended::IntoLoader for #name {
            fn into_loader(self) -> ::rocket_jwt_extended::Loader {
                fn __jwt_adapter<'a>(
                    #identity: &'a str,
                    #raw: ::rocket_jwt_extended::__private::RawIdentity<'a>,
                ) -> #output {
                    ::std::boxed::Box::pin(async move {
                        let #arg = #extract;
                        let #out = #call;
                        #convert
                    })
                }
                ::rocket_jwt_extended::Loader::#constructor(#name_str, __jwt_adapter)
            }
        }
    }
}
