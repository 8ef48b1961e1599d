//! `#[jwt_required(...)]`: parse → validate → rewrite the route function.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, ReturnType};

use rocket_jwt_extended_spec::Location;

use crate::args::{flag, parse_args, paths, strings};
use crate::diagnostics::{did_you_mean, list, Errors};

const ACCEPTED: &[&str] = &[
    "optional",
    "fresh",
    "refresh",
    "verify_type",
    "locations",
    "skip_revocation_check",
    "check",
];

const LOCATIONS: &[&str] = &Location::NAMES;

/// The validated arguments.
#[derive(Default)]
struct Args {
    optional: bool,
    optional_span: Option<Span>,
    fresh: Option<Span>,
    refresh: Option<Span>,
    verify_type: bool,
    locations: Vec<Location>,
    skip_revocation_check: bool,
    checks: Vec<syn::Path>,
}

fn parse(attribute: &str, args: TokenStream, errors: &mut Errors) -> Args {
    let mut out = Args {
        verify_type: true,
        ..Args::default()
    };
    parse_args(attribute, ACCEPTED, args, errors, |name, meta, errors| {
        match name {
            "optional" => {
                out.optional = flag(meta)?.0;
                out.optional_span = Some(meta.path.span());
            }
            "fresh" => out.fresh = flag(meta)?.0.then(|| meta.path.span()),
            "refresh" => out.refresh = flag(meta)?.0.then(|| meta.path.span()),
            "verify_type" => out.verify_type = flag(meta)?.0,
            "skip_revocation_check" => out.skip_revocation_check = flag(meta)?.0,
            "check" => out.checks = paths(meta)?,
            "locations" => {
                let (names, span) = strings(meta)?;
                if names.is_empty() {
                    errors.at(
                        span,
                        format!(
                            "`locations` needs at least one location\nexpected one or more of: {}",
                            list(LOCATIONS)
                        ),
                    );
                }
                for (name, span) in names {
                    match Location::from_name(&name) {
                        None => errors.at(
                            span,
                            format!(
                                "unknown token location \"{name}\"{}\nexpected one of: {}",
                                did_you_mean(&name, LOCATIONS),
                                list(LOCATIONS)
                            ),
                        ),
                        Some(location) if out.locations.contains(&location) => {
                            errors.at(span, format!("location \"{name}\" is listed twice"))
                        }
                        Some(location) => out.locations.push(location),
                    }
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    });
    if let (Some(_), Some(refresh)) = (out.fresh, out.refresh) {
        errors.at(
            refresh,
            "`fresh` and `refresh` cannot be combined: refresh tokens are never fresh\n\
             protect the refresh route with `#[jwt_required(refresh)]` alone",
        );
    }
    out
}

use crate::item::is_route_attribute;

/// The accessors that read the token current in a decorated handler.
const ACCESSORS: &[&str] = &[
    "get_jwt",
    "get_jwt_identity",
    "get_jwt_header",
    "get_jwt_request_location",
    "get_jwt_as",
    "current_user",
    "try_get_jwt",
    "try_current_user",
];

/// Calls that run their argument elsewhere, where the token is not current.
const SPAWNS: &[&str] = &["spawn", "spawn_blocking", "spawn_local"];

/// What the handler's body does with the accessors.
#[derive(Default)]
struct BodyUse {
    /// `current_user()` is called: a user lookup must be registered.
    current_user: bool,
    /// Accessors called inside a spawned task or thread: (span, accessor, spawn).
    in_spawn: Vec<(Span, String, String)>,
}

fn scan_body(tokens: TokenStream, spawn: Option<&str>, out: &mut BodyUse) {
    use proc_macro2::{Delimiter, TokenTree};
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Ident(ident) => {
                let name = ident.to_string();
                let next = tokens.get(i + 1);
                let is_call = match next {
                    Some(TokenTree::Group(g)) => g.delimiter() == Delimiter::Parenthesis,
                    Some(TokenTree::Punct(p)) => p.as_char() == ':',
                    _ => false,
                };
                if is_call && ACCESSORS.contains(&name.as_str()) {
                    if name.ends_with("current_user") {
                        out.current_user = true;
                    }
                    // The `try_` forms answer an error outside the handler: fine anywhere.
                    if let (Some(spawn), false) = (spawn, name.starts_with("try_")) {
                        out.in_spawn
                            .push((ident.span(), name.clone(), spawn.to_owned()));
                    }
                }
                if SPAWNS.contains(&name.as_str()) {
                    if let Some(TokenTree::Group(g)) = next {
                        if g.delimiter() == Delimiter::Parenthesis {
                            scan_body(g.stream(), Some(&name), out);
                            i += 2;
                            continue;
                        }
                    }
                }
            }
            TokenTree::Group(g) => scan_body(g.stream(), spawn, out),
            _ => {}
        }
        i += 1;
    }
}

/// The const expression building the guard's options.
fn options_expr(args: &Args, body: &BodyUse) -> TokenStream {
    let mut calls = TokenStream::new();
    if body.current_user {
        calls.extend(quote!(.uses_current_user()));
    }
    if args.optional {
        calls.extend(quote!(.optional()));
    }
    if args.fresh.is_some() {
        calls.extend(quote!(.fresh()));
    }
    if args.refresh.is_some() {
        calls.extend(quote!(.refresh()));
    }
    if !args.verify_type {
        calls.extend(quote!(.no_verify_type()));
    }
    if args.skip_revocation_check {
        calls.extend(quote!(.skip_revocation_check()));
    }
    if !args.locations.is_empty() {
        // By position in the shared table, so no variant name is spelled here.
        let locs = args.locations.iter().map(|l| {
            let index = l.code() as usize - 1;
            quote!(::rocket_jwt_extended::Location::ALL[#index])
        });
        calls.extend(quote!(.locations(&[#(#locs),*])));
    }
    quote!(::rocket_jwt_extended::VerifyOptions::new() #calls)
}

/// How the route's body takes part in the token search.
enum BodyPlan {
    /// No location this route may search needs the body.
    None,
    /// The route has no data guard: add `JwtBody` (read only when needed).
    Add,
    /// The route's data guard `<name>: Json<T>` becomes `JwtJson<T>`.
    Wrap {
        name: syn::Ident,
        inner: Box<syn::Type>,
    },
}

/// The `<name>` of the route attribute's `data = "<name>"`, if any.
fn data_param(attr: &syn::Attribute) -> Option<String> {
    let syn::Meta::List(list) = &attr.meta else {
        return None;
    };
    let tokens: Vec<proc_macro2::TokenTree> = list.tokens.clone().into_iter().collect();
    tokens.windows(3).find_map(|w| match w {
        [proc_macro2::TokenTree::Ident(i), proc_macro2::TokenTree::Punct(p), proc_macro2::TokenTree::Literal(l)]
            if i == "data" && p.as_char() == '=' =>
        {
            let lit: syn::LitStr = syn::parse_str(&l.to_string()).ok()?;
            let v = lit.value();
            Some(v.trim().trim_start_matches('<').trim_end_matches('>').trim().to_owned())
        }
        _ => None,
    })
}

/// `T` of a type spelled `Json<T>` (any path ending in `Json`).
fn json_inner(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Json" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.iter().collect::<Vec<_>>()[..] {
        [syn::GenericArgument::Type(t)] => Some(t.clone()),
        _ => None,
    }
}

/// Decides how the body is read; a route whose own `locations` include
/// `json` but whose data guard cannot share the body is a compile error.
fn plan_body(func: &ItemFn, args: &Args, errors: &mut Errors) -> BodyPlan {
    let may_need_body =
        args.locations.is_empty() || args.locations.iter().any(|l| l.may_read_body());
    if !may_need_body {
        return BodyPlan::None;
    }
    let Some(route) = func.attrs.iter().find(|a| is_route_attribute(a)) else {
        return BodyPlan::None;
    };
    let Some(name) = data_param(route) else {
        return BodyPlan::Add;
    };
    let arg = func.sig.inputs.iter().find_map(|a| match a {
        FnArg::Typed(pt) => match &*pt.pat {
            syn::Pat::Ident(pi) if pi.ident == name => Some((pi.ident.clone(), &*pt.ty)),
            _ => None,
        },
        FnArg::Receiver(_) => None,
    });
    let Some((ident, ty)) = arg else {
        // Rocket reports the missing argument itself.
        return BodyPlan::None;
    };
    match json_inner(ty) {
        Some(inner) => BodyPlan::Wrap {
            name: ident,
            inner: Box::new(inner),
        },
        None => {
            if args.locations.iter().any(|l| l.reads_body()) {
                errors.at(
                    ty.span(),
                    "`locations` includes \"json\", so the token is read from the request body, \
                     but this data guard consumes the body\n\
                     make the data guard `Json<T>` (the handler still receives it) or remove it",
                );
            }
            BodyPlan::None
        }
    }
}

/// Adds the hidden guard as the first parameter (evaluated before any other
/// guard, as flask checks the token before the view runs), the body data
/// guard when the search may need the body, and makes the verified token
/// current for the body.
fn rewrite(
    mut func: ItemFn,
    options: TokenStream,
    plan: BodyPlan,
    checks: &[syn::Path],
) -> TokenStream {
    let guard = syn::Ident::new("__jwt_guard", Span::call_site());
    let scope = syn::Ident::new("__jwt_scope", Span::mixed_site());
    let body_token = syn::Ident::new("__jwt_body_token", Span::mixed_site());
    let options = match plan {
        BodyPlan::None => options,
        _ => quote!(#options.with_body()),
    };
    let options = if checks.is_empty() {
        options
    } else {
        quote!(#options.with_checks())
    };
    let param: FnArg = syn::parse_quote! {
        #guard: ::rocket_jwt_extended::JwtGuard<{ #options .bits() }>
    };
    func.sig.inputs.insert(0, param);
    // Each check is a guard after the JWT guard (and before the handler's own).
    // The guard's type is a struct of this route's that forwards to the check:
    // the check's name is used once, in that forwarding, so a name that is
    // not a check is one error at the name (Rocket's codegen uses a guard's
    // type several times and would report each use).
    let mut forwards = TokenStream::new();
    for (i, check) in checks.iter().enumerate() {
        let name = syn::Ident::new(&format!("__jwt_check{i}"), Span::call_site());
        let forward = syn::Ident::new(
            &format!("__jwt_check_{}_{i}", func.sig.ident),
            Span::call_site(),
        );
        let check_name = check
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        let glue = quote_spanned! {check.span()=>
            ::rocket_jwt_extended::IsJwtCheck::check_glue(#check)
        };
        forwards.extend(quote! {
            #[doc(hidden)]
            #[allow(non_camel_case_types)]
            struct #forward;

            impl ::rocket_jwt_extended::JwtCheck for #forward {
                const NAME: &'static str = #check_name;
                fn check() -> ::rocket_jwt_extended::RequestLoaderFn<::rocket_jwt_extended::CheckResult> {
                    #glue
                }
            }
        });
        let param: FnArg = syn::parse_quote_spanned! {check.span()=>
            #name: ::rocket_jwt_extended::__private::Checked<#forward, { #options .bits() }>
        };
        func.sig.inputs.insert(i + 1, param);
    }
    let mut prelude = TokenStream::new();
    match plan {
        BodyPlan::None => {}
        BodyPlan::Add => {
            let body = syn::Ident::new("__jwt_body", Span::call_site());
            if let Some(route) = func.attrs.iter_mut().find(|a| is_route_attribute(a)) {
                if let syn::Meta::List(list) = &mut route.meta {
                    let tokens = &list.tokens;
                    let sep = if tokens.is_empty() || tokens.to_string().trim_end().ends_with(',') {
                        quote!()
                    } else {
                        quote!(,)
                    };
                    list.tokens = quote!(#tokens #sep data = "<__jwt_body>");
                }
            }
            func.sig.inputs.push(syn::parse_quote! {
                #body: ::rocket_jwt_extended::__private::JwtBody
            });
            prelude = quote! {
                let #body_token = ::rocket_jwt_extended::__private::JwtBody::into_token(#body);
            };
        }
        BodyPlan::Wrap { name, inner } => {
            for arg in func.sig.inputs.iter_mut() {
                if let FnArg::Typed(pt) = arg {
                    if let syn::Pat::Ident(pi) = &*pt.pat {
                        if pi.ident == name {
                            let pat = pt.pat.clone();
                            let ty = pt.ty.clone();
                            *pt.pat = syn::parse_quote!(#name);
                            *pt.ty = syn::parse_quote_spanned! {ty.span()=>
                                ::rocket_jwt_extended::JwtJson<#inner>
                            };
                            prelude = quote! {
                                let (#body_token, #pat): (_, #ty) =
                                    ::rocket_jwt_extended::JwtJson::into_parts(#name);
                            };
                        }
                    }
                }
            }
        }
    }
    let block = &func.block;
    let context = if prelude.is_empty() {
        quote!(::rocket_jwt_extended::JwtGuard::into_context(#guard))
    } else {
        quote!(::rocket_jwt_extended::JwtGuard::into_context_with(#guard, #body_token))
    };
    let body = if func.sig.asyncness.is_some() {
        let stmts = &block.stmts;
        // Tells inference the async block's output before the body's `?`s are
        // checked (an unannotated async block cannot infer `?`'s error type).
        let hint = match &func.sig.output {
            ReturnType::Type(_, ty) if !crate::item::has_impl_trait(ty) => {
                quote_spanned! {ty.span()=>
                    #[allow(unreachable_code, clippy::diverging_sub_expression, clippy::empty_loop, clippy::needless_return)]
                    if false {
                        let __jwt_ret: #ty = loop {};
                        return __jwt_ret;
                    }
                }
            }
            _ => TokenStream::new(),
        };
        quote!({
            #prelude
            ::rocket_jwt_extended::__private::scope(#context, async move { #hint #(#stmts)* }).await
        })
    } else {
        // The body's statements are spliced, not nested as a block, so a
        // one-expression body (`{ "ok" }`) gets no `unused_braces` warning.
        let stmts = &block.stmts;
        quote!({
            #prelude
            let #scope = ::rocket_jwt_extended::__private::enter(#context);
            #(#stmts)*
        })
    };
    *func.block = syn::parse_quote!(#body);
    quote!(#forwards #func)
}

pub fn expand(attribute: &str, args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let mut args = parse(attribute, args, &mut errors);
    if attribute == "admin_required" && args.optional {
        errors.at(
            args.optional_span.unwrap_or_else(Span::call_site),
            "`#[admin_required]` cannot be `optional`: an anonymous request is not an admin\n\
             use `#[jwt_required(optional)]` and check the claim in the handler",
        );
    }
    if attribute == "admin_required" {
        args.checks.insert(
            0,
            syn::parse_quote!(::rocket_jwt_extended::__private::admin_required),
        );
    }
    let example =
        format!("#[{attribute}]\n#[get(\"/protected\")]\nfn protected() -> &'static str {{ .. }}");
    let func = match crate::item::parse_fn(attribute, &example, item, &mut errors) {
        Ok(f) => f,
        Err(item) => return errors.emit_with(item),
    };
    if let Some(other) = func
        .attrs
        .iter()
        .find(|a| a.path().is_ident("jwt_required") || a.path().is_ident("admin_required"))
    {
        let other_name = other
            .path()
            .get_ident()
            .map(|i| i.to_string())
            .unwrap_or_default();
        errors.at(
            other.path().span(),
            format!(
                "`#[{other_name}]` cannot be combined with `#[{attribute}]`: use a single JWT attribute\n\
                 (`#[admin_required(..)]` takes every `#[jwt_required(..)]` argument)"
            ),
        );
    }
    if !func.attrs.iter().any(is_route_attribute) {
        errors.at(
            Span::call_site(),
            format!(
                "`#[{attribute}]` must be placed above the route attribute, e.g.\n\
                 #[{attribute}]\n#[get(\"/protected\")]\nfn {}(..)\n\
                 (below `#[get]`, or on a function without one, Rocket would never run the check)",
                func.sig.ident
            ),
        );
    }
    let plan = plan_body(&func, &args, &mut errors);
    let mut body = BodyUse::default();
    let block = &func.block;
    scan_body(quote!(#block), None, &mut body);
    for (span, accessor, spawn) in &body.in_spawn {
        let value = match accessor.as_str() {
            "get_jwt_identity" => "identity",
            "get_jwt_header" => "header",
            "current_user" | "try_current_user" => "user",
            "get_jwt_request_location" => "location",
            _ => "claims",
        };
        errors.at(
            *span,
            format!(
                "`{accessor}()` inside `{spawn}(..)`: the token is current in the handler, not in the tasks or threads it spawns\n\
                 read it before spawning and move the value in:\n    \
                 let {value} = {accessor}();\n    \
                 {spawn}(async move {{ /* use {value} */ }});"
            ),
        );
    }
    if !errors.is_empty() {
        return errors.emit_with(quote!(#func));
    }
    rewrite(func, options_expr(&args, &body), plan, &args.checks)
}
