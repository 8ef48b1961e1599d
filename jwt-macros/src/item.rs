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

/// Checks shared by every loader attribute: a free function (not a method),
/// not generic over types (lifetimes are fine), not `unsafe`, not a route.
pub fn check_loader_fn(
    attribute: &str,
    example: &str,
    item: TokenStream,
    errors: &mut Errors,
) -> Result<ItemFn, TokenStream> {
    let func = parse_fn(attribute, example, item, errors)?;
    let name = func.sig.ident.clone();
    if let Some(FnArg::Receiver(_)) = func.sig.inputs.first() {
        errors.at(
            name.span(),
            format!(
                "`#[{attribute}]` goes on a free function, not on a method: move `{name}` out of the `impl` block and take what it needs as parameters (the manager calls it without a value of your type)\n{example}"
            ),
        );
        return Ok(func);
    }
    for param in &func.sig.generics.params {
        match param {
            syn::GenericParam::Lifetime(_) => {}
            other => errors.at(
                other.span(),
                format!("a `#[{attribute}]` loader cannot be generic over types or constants: the manager calls it with concrete types (lifetime parameters are fine)\n{example}"),
            ),
        }
    }
    if let Some(w) = &func.sig.generics.where_clause {
        if errors.is_empty() {
            errors.at(
                w.where_token.span,
                format!("a `#[{attribute}]` loader cannot have a `where` clause: the manager calls it with concrete types\n{example}"),
            );
        }
    }
    if let Some(u) = &func.sig.unsafety {
        errors.at(
            u.span,
            format!(
                "a `#[{attribute}]` loader cannot be `unsafe`: the manager calls it from safe code"
            ),
        );
    }
    if let Some(route) = func.attrs.iter().find(|a| is_route_attribute(a)).cloned() {
        let mut func = func;
        // Re-emitted without the route attribute, so Rocket adds no errors of its own.
        func.attrs.retain(|a| !is_route_attribute(a));
        errors.at(
            route.path().span(),
            format!(
                "`#[{attribute}]` and a route attribute cannot share a function: `{name}` is either a loader or a route\n\
                 define the route separately{}",
                if attribute == "jwt_check" {
                    format!(" and apply the check with `#[jwt_required(check = {name})]` above it")
                } else {
                    String::new()
                }
            ),
        );
        return Err(quote::quote!(#func));
    }
    Ok(func)
}

/// Rocket's route attributes.
pub const ROUTE_ATTRIBUTES: &[&str] = &[
    "route", "get", "put", "post", "delete", "head", "patch", "options",
];

/// Whether `attr` is one of Rocket's route attributes (`#[get]`, `#[rocket::post]`, …).
pub fn is_route_attribute(attr: &syn::Attribute) -> bool {
    let path = attr.path();
    let last = path.segments.last().map(|s| s.ident.to_string());
    let rocket_path =
        path.segments.len() == 1 || path.segments.first().is_some_and(|s| s.ident == "rocket");
    rocket_path && last.is_some_and(|l| ROUTE_ATTRIBUTES.contains(&l.as_str()))
}

/// `ty` with every named lifetime replaced by `'_`, so the glue can spell a
/// parameter type of a function with lifetime parameters.
pub fn erase_lifetimes(ty: &syn::Type) -> TokenStream {
    fn walk(tokens: TokenStream) -> TokenStream {
        use proc_macro2::TokenTree;
        let mut out = Vec::new();
        let mut iter = tokens.into_iter().peekable();
        while let Some(tt) = iter.next() {
            match tt {
                TokenTree::Punct(p) if p.as_char() == '\'' => {
                    if let Some(TokenTree::Ident(i)) = iter.peek() {
                        if i != "static" && i != "_" {
                            let span = i.span();
                            iter.next();
                            out.push(TokenTree::Punct(p));
                            out.push(TokenTree::Ident(syn::Ident::new("_", span)));
                            continue;
                        }
                    }
                    out.push(TokenTree::Punct(p));
                }
                TokenTree::Group(g) => {
                    let mut ng = proc_macro2::Group::new(g.delimiter(), walk(g.stream()));
                    ng.set_span(g.span());
                    out.push(TokenTree::Group(ng));
                }
                other => out.push(other),
            }
        }
        out.into_iter().collect()
    }
    walk(quote::quote!(#ty))
}

/// `T` when `ty` is `impl Future<Output = T>` (a function that returns a
/// future is an `async` loader).
pub fn future_output(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::ImplTrait(it) = ty else {
        return None;
    };
    it.bounds.iter().find_map(|b| {
        let syn::TypeParamBound::Trait(t) = b else {
            return None;
        };
        let last = t.path.segments.last()?;
        if last.ident != "Future" && last.ident != "IntoFuture" {
            return None;
        }
        let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
            return None;
        };
        args.args.iter().find_map(|a| match a {
            syn::GenericArgument::AssocType(at) if at.ident == "Output" => Some(&at.ty),
            _ => None,
        })
    })
}

/// Whether the type contains `impl Trait` anywhere.
pub fn has_impl_trait(ty: &syn::Type) -> bool {
    quote::quote!(#ty).to_string().contains("impl ")
}

/// What a loader function returns, and whether its call must be awaited:
/// `async fn f() -> T` and `fn f() -> impl Future<Output = T>` both give
/// `(true, T)`.
pub fn loader_output(func: &ItemFn) -> (bool, Option<&syn::Type>) {
    match &func.sig.output {
        syn::ReturnType::Default => (func.sig.asyncness.is_some(), None),
        syn::ReturnType::Type(_, ty) => match future_output(ty) {
            Some(inner) if func.sig.asyncness.is_none() => (true, Some(inner)),
            _ => (func.sig.asyncness.is_some(), Some(&**ty)),
        },
    }
}

/// The registration record every loader attribute emits: the launch check
/// compares these against what `loaders![..]` lists.
pub fn defined_record(attribute: &str, name: &syn::Ident) -> TokenStream {
    let attribute = format!("#[{attribute}]");
    let name_str = name.to_string();
    quote::quote_spanned! {name.span()=>
        ::rocket_jwt_extended::__private::inventory::submit! {
            ::rocket_jwt_extended::__private::Defined {
                id: || ::std::any::TypeId::of::<#name>(),
                attribute: #attribute,
                name: #name_str,
                file: ::std::file!(),
                line: ::std::line!(),
            }
        }
    }
}

/// The user's function followed by the attribute's one hidden item: a struct
/// of the function's name (type namespace only, like Rocket's route structs)
/// whose glue impls and registration record sit in an anonymous constant of
/// its own definition. One item, so inside an `impl` (where a struct cannot
/// go) the misuse is a single error.
pub fn with_hidden_items(func: &ItemFn, vis: &syn::Visibility, inner: TokenStream) -> TokenStream {
    let name = &func.sig.ident;
    quote::quote! {
        #func

        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #vis struct #name where [(); { #inner 0 }]: ::std::marker::Sized {}
    }
}
