//! Attribute macros of `rocket-jwt-extended`. They parse and emit glue that
//! calls the runtime; all behaviour lives in `rocket-jwt-extended-runtime`.
//! Use them through the `rocket_jwt_extended` facade.
#![deny(missing_docs)]

use proc_macro::TokenStream;
mod args;
mod attribute;
mod diagnostics;
mod item;

/// Protects a Rocket route with a JWT, like flask-jwt-extended's
/// `@jwt_required(...)`.
///
/// # Grammar
///
/// ```text
/// #[jwt_required]
/// #[jwt_required(ARG, ...)]
///
/// ARG := optional                     no token is fine (other errors still fail)
///      | fresh                        the token must be fresh
///      | refresh                      a refresh token is required
///      | verify_type = false          access and refresh tokens both accepted
///      | locations = LOCS             where to look, overriding jwt_token_location
///      | skip_revocation_check        do not consult the blocklist
/// LOCS := "headers" | "cookies" | "json" | "query_string" | [ "headers", ... ]
/// ```
///
/// Each flag also accepts `= true` / `= false`. `fresh` and `refresh` cannot
/// be combined (refresh tokens are never fresh).
///
/// # Placement
///
/// Above the route attribute, on a sync or async handler with any other
/// guards, `data = ..` and return type:
///
/// ```ignore
/// #[jwt_required(fresh)]
/// #[get("/protected")]
/// fn protected() -> Value {
///     json!({ "logged_in_as": get_jwt_identity() })
/// }
/// ```
///
/// # What it generates
///
/// A first, hidden parameter `JwtGuard<{ VerifyOptions::new().fresh().bits() }>`
/// (evaluated before the handler's other guards), and a body that makes the
/// verified token current so `get_jwt()`, `get_jwt_identity()`,
/// `get_jwt_header()` and `get_jwt_request_location()` work inside it. A failed
/// check answers with flask-jwt-extended's status and `{"msg": …}`; the
/// handler does not run.
///
/// # The request body (`json` location, CSRF form field)
///
/// Request guards cannot read the body, so when the route may search the JSON
/// body (its `locations`, or `jwt_token_location` when it has none) or read
/// the CSRF token from a form field, the attribute also reads the body with a
/// data guard:
///
/// - a route without `data = ..` gets a hidden one (`data = "<__jwt_body>"`),
///   which reads the body only when the search reaches it;
/// - a route whose data guard is `Json<T>` keeps it: the body is read once,
///   searched for the token first, then deserialized into the handler's
///   `Json<T>` (Rocket's statuses for a body that is not a `T`);
/// - any other data guard cannot share the body: with `locations` naming
///   `json` that is a compile error, and with `json` in the configuration the
///   application refuses to launch, saying why.
///
/// ```ignore
/// #[jwt_required(locations = ["headers", "json"])]
/// #[post("/notes", data = "<note>")]
/// fn add_note(note: Json<Note>) -> Value {
///     json!({ "by": get_jwt_identity(), "text": note.text })
/// }
/// ```
#[proc_macro_attribute]
pub fn jwt_required(args: TokenStream, item: TokenStream) -> TokenStream {
    attribute::jwt_required::expand("jwt_required", args.into(), item.into()).into()
}

/// Turns a user object into the identity string of its tokens, like
/// flask-jwt-extended's `@jwt.user_identity_loader`.
///
/// # Grammar
///
/// ```text
/// #[user_identity]
/// fn NAME(user: &UserType) -> impl Display { .. }
/// ```
///
/// It implements `rocket_jwt_extended::Identity` for `UserType`, so
/// `tokens.create_access_token(&user)` compiles for that type only; the token's
/// identity claim is always a string.
///
/// ```ignore
/// #[user_identity]
/// fn identity(user: &User) -> String {
///     user.id.to_string()
/// }
/// ```
#[proc_macro_attribute]
pub fn user_identity(args: TokenStream, item: TokenStream) -> TokenStream {
    attribute::user_identity::expand(args.into(), item.into()).into()
}

/// Adds claims to every token created, like flask-jwt-extended's
/// `@jwt.additional_claims_loader`. Register it with
/// `JwtManager::new().loaders(loaders![NAME])`.
///
/// # Grammar
///
/// ```text
/// #[additional_claims]
/// [async] fn NAME(identity: &str) -> impl Serialize { .. }   // the identity string
/// [async] fn NAME(user: &User) -> impl Serialize { .. }      // the object given to create_*_token
/// ```
///
/// The return value must serialize to a JSON object (`null` adds nothing). Its
/// claims are merged over the standard ones and under the `additional_claims`
/// given when creating the token (last wins, as in flask).
///
/// ```ignore
/// #[additional_claims]
/// fn add_claims(identity: &str) -> Value {
///     json!({ "upcase_name": identity.to_uppercase() })
/// }
/// ```
#[proc_macro_attribute]
pub fn additional_claims(args: TokenStream, item: TokenStream) -> TokenStream {
    attribute::encode_loader::expand(
        attribute::encode_loader::Kind::AdditionalClaims,
        args.into(),
        item.into(),
    )
    .into()
}

/// Adds JOSE header members to every token created, like flask-jwt-extended's
/// `@jwt.additional_headers_loader`. Register it with `loaders![NAME]`.
///
/// # Grammar
///
/// ```text
/// #[additional_headers]
/// [async] fn NAME(identity: &str | &User) -> impl Serialize { .. }
/// ```
///
/// `alg` cannot be set this way (creating the token fails); a `typ` of `null`
/// or `""` removes `typ`.
///
/// ```ignore
/// #[additional_headers]
/// fn headers(identity: &str) -> Value {
///     json!({ "kid": "2026-11" })
/// }
/// ```
#[proc_macro_attribute]
pub fn additional_headers(args: TokenStream, item: TokenStream) -> TokenStream {
    attribute::encode_loader::expand(
        attribute::encode_loader::Kind::AdditionalHeaders,
        args.into(),
        item.into(),
    )
    .into()
}
