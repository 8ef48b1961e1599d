//! `#[user_identity]`: flask's `user_identity_loader`, as an `Identity` impl
//! for the user type, so `create_access_token(&user)` type-checks.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{ReturnType, Type};

use crate::diagnostics::Errors;
use crate::item::check_loader_fn;

const EXAMPLE: &str =
    "#[user_identity]\nfn identity(user: &User) -> String {\n    user.id.to_string()\n}";

pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    if !args.is_empty() {
        errors.at(args.span(), "`#[user_identity]` takes no arguments");
    }
    let func = match check_loader_fn("user_identity", EXAMPLE, item, &mut errors) {
        Ok(f) => f,
        Err(item) => return errors.emit_with(item),
    };
    if let Some(a) = func.sig.asyncness {
        errors.at(a.span(), format!("a `#[user_identity]` function must be synchronous: it runs inside `create_access_token`\n{EXAMPLE}"));
    }
    let typed = crate::item::typed_inputs(&func.sig);
    let user_ty = match typed.as_slice() {
        [one] => match &*one.ty {
            Type::Reference(r) if r.mutability.is_none() => Some(&r.elem),
            other => {
                errors.at(
                    other.span(),
                    format!("a `#[user_identity]` function takes the user by shared reference (`&User`)\n{EXAMPLE}"),
                );
                None
            }
        },
        _ => {
            errors.at(
                func.sig.paren_token.span.join(),
                format!("a `#[user_identity]` function takes exactly one parameter, the user (`&User`)\n{EXAMPLE}"),
            );
            None
        }
    };
    if let ReturnType::Default = func.sig.output {
        errors.at(
            func.sig.ident.span(),
            format!("a `#[user_identity]` function returns the identity string (anything `Display`)\n{EXAMPLE}"),
        );
    }
    let (Some(user_ty), true) = (user_ty, errors.is_empty()) else {
        return errors.emit_with(quote!(#func));
    };
    let name = &func.sig.ident;
    let ret_span = match &func.sig.output {
        ReturnType::Type(_, t) => t.span(),
        ReturnType::Default => name.span(),
    };
    let to_string = quote_spanned! {ret_span=> ::std::string::ToString::to_string(&#name(self)) };
    let as_any = quote_spanned! {user_ty.span()=> ::std::option::Option::Some(self) };
    let vis = &func.vis;
    crate::item::with_hidden_items(
        &func,
        vis,
        quote! {
            #[allow(non_local_definitions)]
            impl ::rocket_jwt_extended::Identity for #user_ty {
                fn to_identity(&self) -> ::std::string::String {
                    #to_string
                }
                fn as_any(&self) -> ::rocket_jwt_extended::__private::RawIdentity<'_> {
                    #as_any
                }
            }

            #[allow(non_local_definitions)]
            impl ::rocket_jwt_extended::__private::UserObject for #user_ty {}
        },
    )
}
