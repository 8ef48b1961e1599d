//! `#[additional_claims]` and `#[additional_headers]`: the user's function is
//! kept as written; beside it, a hidden struct of the same name (type
//! namespace only, like Rocket's route structs) converts into a loader for
//! `loaders![..]`.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

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

pub fn expand(kind: Kind, args: TokenStream, item: TokenStream) -> TokenStream {
    let attribute = kind.attribute();
    let mut errors = Errors::default();
    if !args.is_empty() {
        errors.at(args.span(), format!("`#[{attribute}]` takes no arguments"));
    }
    let func = match crate::item::check_loader_fn(attribute, kind.example(), item, &mut errors) {
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
    let (is_async, ret) = crate::item::loader_output(&func);
    match ret {
        None => {
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
        Some(ret) => {
            if let (Kind::AdditionalClaims | Kind::AdditionalHeaders, Some(what)) =
                (kind, not_an_object(ret))
            {
                errors.at(
                    ret.span(),
                    format!(
                        "a `#[{attribute}]` loader returns the {} as a JSON object, but {what}\n\
                         return `serde_json::Value` built with `json!({{ \"name\": value }})`, a map, or a `#[derive(Serialize)]` struct\n{}",
                        kind.what(),
                        kind.example()
                    ),
                );
            }
        }
    }
    if !errors.is_empty() {
        return errors.emit_with(quote!(#func));
    }
    let ret = ret.expect("checked above");

    let name = &func.sig.ident;
    let name_str = name.to_string();
    let vis = &func.vis;
    let what = kind.what();
    let ty = crate::item::erase_lifetimes(&typed[0].ty);
    let ty_span = typed[0].ty.span();
    let ret_span = ret.span();
    // The glue's own names are hygienic (mixed-site), so a loader called
    // `identity`, `raw` or `adapter` is neither shadowed nor captured.
    let local = |n: &str| syn::Ident::new(n, Span::mixed_site());
    let (identity, raw, arg) = (local("identity"), local("raw"), local("arg"));
    // Bound only after the user's function returned, so it cannot capture a
    // user name; its span is the return type's (a span with the macro's own
    // hygiene would be reported at the attribute instead), so a type that is
    // not `Serialize` is reported there.
    let out = syn::Ident::new("__jwt_out", ret_span);
    let extract = quote_spanned! {ty_span=>
        <#ty as ::rocket_jwt_extended::FromIdentity<'a>>::from_identity(#identity, #raw, #name_str)?
    };
    let call = if is_async {
        let send = quote_spanned! {name.span()=> ::rocket_jwt_extended::SendLoader::into_send };
        quote_spanned!(name.span()=> #send(#name(#arg)).await)
    } else {
        quote!(#name(#arg))
    };
    let infer = quote_spanned! {ret_span=> _ };
    let convert = match kind {
        Kind::EncodeKey => quote_spanned! {ret_span=>
            ::std::result::Result::Ok(<#infer as ::rocket_jwt_extended::IntoKey>::into_key(#out))
        },
        _ => quote_spanned! {ret_span=>
            <#infer as ::rocket_jwt_extended::IntoObject>::into_object(#out, #what)
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
    let taking_user = match &*typed[0].ty {
        syn::Type::Reference(r) if !matches!(&*r.elem, syn::Type::Path(p) if p.path.is_ident("str")) =>
        {
            let elem = &r.elem;
            let spelled = quote!(#elem).to_string();
            quote!(.taking_user(#spelled))
        }
        _ => TokenStream::new(),
    };
    let record = crate::item::defined_record(attribute, name);
    crate::item::with_hidden_items(
        &func,
        vis,
        quote! {
            #[allow(non_local_definitions)]
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
                    ::rocket_jwt_extended::Loader::#constructor(#name_str, __jwt_adapter) #taking_user
                }
            }

            #record
        },
    )
}

/// Why a return type, by its spelling, cannot serialize to a JSON object
/// (strings, numbers, booleans, sequences); `None` when it may.
fn not_an_object(ty: &syn::Type) -> Option<String> {
    let spelled = quote!(#ty).to_string().replace(' ', "");
    match ty {
        syn::Type::Reference(r) => return not_an_object(&r.elem),
        syn::Type::Slice(_) | syn::Type::Array(_) => {
            return Some(format!("`{spelled}` serializes to a JSON array"))
        }
        syn::Type::Tuple(t) if !t.elems.is_empty() => {
            return Some(format!("`{spelled}` serializes to a JSON array"))
        }
        _ => {}
    }
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?.ident.to_string();
    let kind = match last.as_str() {
        "String" | "str" | "char" => "a JSON string",
        "bool" => "a JSON boolean",
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64" | "u128"
        | "usize" | "f32" | "f64" => "a JSON number",
        "Vec" | "VecDeque" | "HashSet" | "BTreeSet" => "a JSON array",
        _ => return None,
    };
    Some(format!("`{spelled}` serializes to {kind}"))
}
