//! Request-side loaders (`#[user_lookup]`, `#[token_verification]`,
//! `#[token_in_blocklist]`, `#[decode_key]`), error handlers
//! (`#[expired_token]`, …) and checks (`#[jwt_check]`).
//!
//! The user's function is kept as written. Beside it, a hidden struct of the
//! same name carries the glue: a function that, for the current request,
//! resolves each parameter through the runtime's `LoaderParam` (loaders,
//! checks) or `HandlerParam` (error handlers) trait — which decides, by trait
//! impl and never by the type's name, whether it is the token's header,
//! claims or identity, the error message, or a Rocket request guard — calls
//! the user's function (awaiting it when `async`) and converts its return
//! value.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::Type;

use crate::diagnostics::Errors;
use crate::item::check_loader_fn;

/// Which attribute.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    UserLookup,
    TokenVerification,
    TokenInBlocklist,
    DecodeKey,
    /// An error handler, by its attribute's name (the runtime maps it to its
    /// `ErrorKind`).
    Error(&'static str),
    /// `#[jwt_error]`: every error without a handler of its own.
    AnyError,
    Check,
}

impl Kind {
    fn attribute(self) -> &'static str {
        match self {
            Kind::UserLookup => "user_lookup",
            Kind::TokenVerification => "token_verification",
            Kind::TokenInBlocklist => "token_in_blocklist",
            Kind::DecodeKey => "decode_key",
            Kind::Check => "jwt_check",
            Kind::Error(attribute) => attribute,
            Kind::AnyError => "jwt_error",
        }
    }

    fn returns(self) -> &'static str {
        match self {
            Kind::UserLookup => "`Option<User>` (`None` when there is no such user)",
            Kind::TokenVerification => "`bool` (`false` refuses the token)",
            Kind::TokenInBlocklist => "`bool` (`true` when the token is revoked)",
            Kind::DecodeKey => "the secret (`String`, `&'static str` or `Vec<u8>`)",
            Kind::Error(_) | Kind::AnyError => "a Rocket `Responder` (the response to send)",
            Kind::Check => "`Result<(), R>` where `R` is a Rocket `Responder` (the response when the check fails)",
        }
    }

    fn example(self, reason_param: bool) -> String {
        let attr = self.attribute();
        match self {
            Kind::UserLookup => format!(
                "#[{attr}]\nasync fn load_user(claims: &Claims, db: Connection<Db>) -> Option<User> {{ .. }}"
            ),
            Kind::TokenVerification | Kind::TokenInBlocklist => {
                format!("#[{attr}]\nfn {attr}(header: &JwtHeader, claims: &Claims) -> bool {{ .. }}")
            }
            Kind::DecodeKey => {
                format!("#[{attr}]\nfn key_for(header: &JwtHeader, claims: &Claims) -> String {{ .. }}")
            }
            Kind::Error(_) if reason_param => format!(
                "#[{attr}]\nfn {attr}(reason: &str) -> (Status, Json<Value>) {{ .. }}"
            ),
            Kind::Error(_) => format!(
                "#[{attr}]\nfn {attr}(header: &JwtHeader, claims: &Claims) -> (Status, Json<Value>) {{ .. }}"
            ),
            Kind::AnyError => format!(
                "#[{attr}]\nfn every_error(error: &JwtError) -> (Status, Json<Value>) {{ .. }}"
            ),
            Kind::Check => format!(
                "#[{attr}]\nfn admins_only(claims: &Claims) -> Result<(), (Status, Json<Value>)> {{ .. }}"
            ),
        }
    }

    /// The runtime trait that resolves this attribute's parameters.
    fn param_trait(self) -> TokenStream {
        match self {
            Kind::Error(_) | Kind::AnyError => quote!(::rocket_jwt_extended::HandlerParam),
            _ => quote!(::rocket_jwt_extended::LoaderParam),
        }
    }
}

/// `reason_param`: whether the example for this attribute takes the error
/// message (the error kinds that carry no token).
pub fn expand(kind: Kind, reason_param: bool, args: TokenStream, item: TokenStream) -> TokenStream {
    let attribute = kind.attribute();
    let example = kind.example(reason_param);
    let mut errors = Errors::default();
    if !args.is_empty() {
        errors.at(args.span(), format!("`#[{attribute}]` takes no arguments"));
    }
    let func = match check_loader_fn(attribute, &example, item, &mut errors) {
        Ok(f) => f,
        Err(item) => return errors.emit_with(item),
    };
    let (is_async, ret) = crate::item::loader_output(&func);
    if ret.is_none() {
        errors.at(
            func.sig.ident.span(),
            format!(
                "a `#[{attribute}]` function returns {}\n{example}",
                kind.returns()
            ),
        );
    }
    if let (Kind::UserLookup, Some(ret)) = (kind, ret) {
        if crate::item::has_impl_trait(ret) {
            errors.at(
                ret.span(),
                format!(
                    "a `#[{attribute}]` function names its user type: return `Option<User>`, not `impl Trait`\n{example}"
                ),
            );
        }
    }
    let params: Vec<&Type> = crate::item::typed_inputs(&func.sig)
        .into_iter()
        .map(|p| &*p.ty)
        .collect();
    // Whatever its type, a `&mut` parameter can be neither a part of the
    // token (shared by every loader) nor a request guard.
    for ty in &params {
        if let Type::Reference(syn::TypeReference {
            mutability: Some(m),
            ..
        }) = ty
        {
            errors.at(
                m.span(),
                "the token's parts are shared: take them by `&`, not `&mut`",
            );
        }
    }
    if !errors.is_empty() {
        return errors.emit_with(quote!(#func));
    }
    let ret = ret.expect("checked above");

    let name = &func.sig.ident;
    let name_str = name.to_string();
    let vis = &func.vis;
    let local = |n: &str| syn::Ident::new(n, Span::mixed_site());
    let (req, args) = (local("req"), local("args"));
    let rocket = quote!(::rocket_jwt_extended::__private::rocket);

    let on_guard_failure = |ty: &Type| -> TokenStream {
        let ty_str = quote!(#ty).to_string();
        match kind {
            Kind::Error(_) | Kind::AnyError => quote!(::std::result::Result::Err(__jwt_status)),
            Kind::Check => quote!(::std::result::Result::Err(::std::boxed::Box::new(
                ::std::result::Result::Err(__jwt_status)
            ))),
            _ => quote!(::std::result::Result::Err(
                ::rocket_jwt_extended::__private::guard_failed(#name_str, #ty_str, __jwt_status)
            )),
        }
    };
    let param_trait = kind.param_trait();
    let mut resolve = TokenStream::new();
    let mut call_args = Vec::new();
    for (i, ty) in params.iter().enumerate() {
        let value = local(&format!("arg{i}"));
        let fail = on_guard_failure(ty);
        let fail_internal = quote! {{
            let __jwt_status = #rocket::http::Status::InternalServerError;
            #fail
        }};
        let spelled = crate::item::erase_lifetimes(ty);
        resolve.extend(quote_spanned! {ty.span()=>
            let #value: #spelled = match <#spelled as #param_trait<'_, _>>::resolve(#req, #args).await {
                #rocket::outcome::Outcome::Success(v) => v,
                #rocket::outcome::Outcome::Error(()) => return #fail_internal,
                #rocket::outcome::Outcome::Forward(__jwt_status) => return #fail,
            };
        });
        call_args.push(quote!(#value));
    }
    let call = if is_async {
        let send = quote_spanned! {name.span()=> ::rocket_jwt_extended::SendLoader::into_send };
        quote_spanned!(name.span()=> #send(#name(#(#call_args),*)).await)
    } else {
        quote!(#name(#(#call_args),*))
    };
    let out = syn::Ident::new("__jwt_out", ret.span());
    let ret_spelled = crate::item::erase_lifetimes(ret);
    // The conversion names the trait, with the value's type inferred (`_`)
    // at the return type's span: a wrong return type is one error there.
    let infer = quote_spanned! {ret.span()=> _ };
    let (output_ty, convert) = match kind {
        Kind::UserLookup => (
            quote!(
                ::std::result::Result<
                    ::std::option::Option<::rocket_jwt_extended::AnyUser>,
                    ::rocket_jwt_extended::JwtError,
                >
            ),
            quote_spanned! {ret.span()=> ::std::result::Result::Ok(<#infer as ::rocket_jwt_extended::LookupResult>::into_any_user(#out)) },
        ),
        Kind::TokenVerification | Kind::TokenInBlocklist => (
            quote!(::std::result::Result<bool, ::rocket_jwt_extended::JwtError>),
            quote_spanned! {ret.span()=> ::std::result::Result::Ok(<#infer as ::rocket_jwt_extended::Predicate>::into_bool(#out)) },
        ),
        Kind::DecodeKey => (
            quote!(::std::result::Result<::std::vec::Vec<u8>, ::rocket_jwt_extended::JwtError>),
            quote_spanned! {ret.span()=> ::std::result::Result::Ok(<#infer as ::rocket_jwt_extended::IntoKey>::into_key(#out)) },
        ),
        Kind::Error(_) | Kind::AnyError => (
            quote!(#rocket::response::Result<'static>),
            quote_spanned! {ret.span()=> <#infer as ::rocket_jwt_extended::ErrorResponse>::into_response(#out, #req) },
        ),
        Kind::Check => (
            quote!(::rocket_jwt_extended::CheckResult),
            quote_spanned! {ret.span()=> <#infer as ::rocket_jwt_extended::CheckOutput>::into_outcome(#out, #req) },
        ),
    };
    let glue = quote! {
        fn __jwt_adapter<'r, 'x>(
            #req: &'r #rocket::request::Request<'x>,
            #args: ::rocket_jwt_extended::LoaderArgs<'r>,
        ) -> ::rocket_jwt_extended::__private::BoxFuture<'r, #output_ty> {
            let _ = &#args;
            ::std::boxed::Box::pin(async move {
                #resolve
                let #out = #call;
                #convert
            })
        }
    };
    let register = match kind {
        Kind::UserLookup => quote! {
            ::rocket_jwt_extended::Loader::user_lookup::<#ret_spelled>(#name_str, __jwt_adapter)
        },
        Kind::TokenVerification => {
            quote!(::rocket_jwt_extended::Loader::token_verification(#name_str, __jwt_adapter))
        }
        Kind::TokenInBlocklist => {
            quote!(::rocket_jwt_extended::Loader::token_in_blocklist(#name_str, __jwt_adapter))
        }
        Kind::DecodeKey => {
            quote!(::rocket_jwt_extended::Loader::decode_key(#name_str, __jwt_adapter))
        }
        Kind::Error(attribute) => quote!(::rocket_jwt_extended::Loader::error_handler(
            #name_str,
            const { ::rocket_jwt_extended::ErrorKind::for_attribute(#attribute) },
            __jwt_adapter,
        )),
        Kind::AnyError => quote!(::rocket_jwt_extended::Loader::any_error_handler(
            #name_str,
            __jwt_adapter,
        )),
        Kind::Check => TokenStream::new(),
    };
    if kind == Kind::Check {
        // The name becomes a unit value of the check's type (what
        // `check = NAME` passes); the user's function, unchanged, lives in
        // the glue, so its name is free for the value. Its docs go on the
        // value.
        let docs: Vec<&syn::Attribute> = func
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .collect();
        return quote! {
            #(#docs)*
            #[allow(non_camel_case_types)]
            #vis struct #name where [(); {
                #[allow(non_local_definitions)]
                impl ::rocket_jwt_extended::IsJwtCheck for #name {}

                #[allow(non_local_definitions)]
                impl ::rocket_jwt_extended::JwtCheck for #name {
                    const NAME: &'static str = #name_str;
                    fn check() -> ::rocket_jwt_extended::RequestLoaderFn<::rocket_jwt_extended::CheckResult> {
                        #func
                        #glue
                        __jwt_adapter
                    }
                }
                0
            }]: ::std::marker::Sized;
        };
    }
    let glue_impl = {
        let record = crate::item::defined_record(attribute, name);
        quote! {
            #[allow(non_local_definitions)]
            impl ::rocket_jwt_extended::IntoLoader for #name {
                fn into_loader(self) -> ::rocket_jwt_extended::Loader {
                    #glue
                    #register
                }
            }

            #record
        }
    };
    crate::item::with_hidden_items(&func, vis, glue_impl)
}
