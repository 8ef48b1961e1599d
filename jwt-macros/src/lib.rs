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
///      | check = CHECKS               run #[jwt_check] functions after the token is verified
/// LOCS := "headers" | "cookies" | "json" | "query_string" | [ "headers", ... ]
/// CHECKS := path | [ path, ... ]
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
/// ```
/// # #[macro_use] extern crate rocket;
/// use rocket::serde::json::{json, Value};
/// use rocket_jwt_extended::{get_jwt_identity, jwt_required};
///
/// #[jwt_required(fresh)]
/// #[get("/protected")]
/// fn protected() -> Value {
///     json!({ "logged_in_as": get_jwt_identity() })
/// }
/// # let _ = routes![protected];
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
/// ```
/// # #[macro_use] extern crate rocket;
/// use rocket::serde::json::{json, Json, Value};
/// use rocket::serde::Deserialize;
/// use rocket_jwt_extended::{get_jwt_identity, jwt_required};
///
/// #[derive(Deserialize)]
/// # #[serde(crate = "rocket::serde")]
/// struct Note {
///     text: String,
/// }
///
/// #[jwt_required(locations = ["headers", "json"])]
/// #[post("/notes", data = "<note>")]
/// fn add_note(note: Json<Note>) -> Value {
///     json!({ "by": get_jwt_identity(), "text": note.text })
/// }
/// # let _ = routes![add_note];
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
/// ```
/// use rocket_jwt_extended::{user_identity, Identity};
///
/// struct User {
///     id: u32,
/// }
///
/// #[user_identity]
/// fn identity(user: &User) -> String {
///     user.id.to_string()
/// }
///
/// assert_eq!(User { id: 7 }.to_identity(), "7");
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
/// ```
/// use rocket::serde::json::{json, Value};
/// use rocket_jwt_extended::{additional_claims, loaders, JwtManager};
///
/// #[additional_claims]
/// fn add_claims(identity: &str) -> Value {
///     json!({ "upcase_name": identity.to_uppercase() })
/// }
///
/// let manager = JwtManager::new().loaders(loaders![add_claims]);
/// # let _ = manager;
/// ```
///
/// Taking `&User` (a type with a `#[user_identity]` function) receives the
/// object given to `create_access_token(&user)`; creating a token from a
/// plain identity string then fails (500), since there is no `User` to give
/// the loader. Take `identity: &str` when tokens are created both ways.
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
/// ```
/// use rocket::serde::json::{json, Value};
/// use rocket_jwt_extended::{additional_headers, loaders, JwtManager};
///
/// #[additional_headers]
/// fn headers(identity: &str) -> Value {
///     json!({ "x-issued-for": identity })
/// }
///
/// let manager = JwtManager::new().loaders(loaders![headers]);
/// # let _ = manager;
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

macro_rules! request_loader {
    ($(#[$doc:meta])* $name:ident => $kind:expr) => {
        request_loader!($(#[$doc])* $name => $kind, reason: false);
    };
    ($(#[$doc:meta])* $name:ident => $kind:expr, reason: $reason:expr) => {
        $(#[$doc])*
        #[proc_macro_attribute]
        pub fn $name(args: TokenStream, item: TokenStream) -> TokenStream {
            attribute::request_loader::expand($kind, $reason, args.into(), item.into()).into()
        }
    };
}

request_loader! {
    /// Loads the user for a verified token, like flask-jwt-extended's
    /// `@jwt.user_lookup_loader`. Inside a `#[jwt_required]` handler,
    /// `current_user::<User>()` returns it; outside macros, the
    /// `CurrentUser<User>` guard does. `None` answers 401
    /// `Error loading the user <identity>` (see `#[user_lookup_error]`).
    ///
    /// # Grammar
    ///
    /// ```text
    /// #[user_lookup]
    /// [async] fn NAME(PARAM, ...) -> Option<User> { .. }
    ///
    /// PARAM := header: &JwtHeader     the token's header
    ///        | claims: &Claims        the token's claims
    ///        | identity: &str         the token's identity
    ///        | guard: G               any Rocket request guard, e.g. Connection<Db>
    /// ```
    ///
    /// The same parameters serve `#[token_verification]`,
    /// `#[token_in_blocklist]`, `#[decode_key]` and `#[jwt_check]`. A request
    /// guard that fails refuses the request (500) rather than accept it.
    /// Register with `JwtManager::new().loaders(loaders![NAME])`.
    ///
    /// ```
    /// # #[macro_use] extern crate rocket;
    /// use std::collections::HashMap;
    ///
    /// use rocket::State;
    /// use rocket_jwt_extended::{current_user, jwt_required, loaders, user_lookup, JwtManager};
    ///
    /// struct User {
    ///     name: String,
    /// }
    ///
    /// #[user_lookup]
    /// async fn load_user(identity: &str, users: &State<HashMap<String, String>>) -> Option<User> {
    ///     users.get(identity).map(|name| User { name: name.clone() })
    /// }
    ///
    /// #[jwt_required]
    /// #[get("/me")]
    /// fn me() -> String {
    ///     current_user::<User>().map(|u| u.name.clone()).unwrap_or_default()
    /// }
    ///
    /// let rocket = rocket::build()
    ///     .manage(HashMap::from([("1".to_owned(), "alice".to_owned())]))
    ///     .attach(JwtManager::new().loaders(loaders![load_user]))
    ///     .mount("/", routes![me]);
    /// # let _ = rocket;
    /// ```
    ///
    /// A route whose handler calls `current_user()` refuses the launch when no
    /// `#[user_lookup]` is registered.
    user_lookup => attribute::request_loader::Kind::UserLookup
}

request_loader! {
    /// Extra verification of a decoded token, like flask-jwt-extended's
    /// `@jwt.token_verification_loader`: `false` answers 400
    /// `User claims verification failed` (see `#[token_verification_failed]`).
    ///
    /// # Grammar
    ///
    /// ```text
    /// #[token_verification]
    /// [async] fn NAME(PARAM, ...) -> bool { .. }      // PARAM as for #[user_lookup]
    /// ```
    ///
    /// ```
    /// use rocket_jwt_extended::{loaders, token_verification, Claims, JwtManager};
    ///
    /// #[token_verification]
    /// fn has_role(claims: &Claims) -> bool {
    ///     claims.get("role").is_some()
    /// }
    ///
    /// let manager = JwtManager::new().loaders(loaders![has_role]);
    /// # let _ = manager;
    /// ```
    token_verification => attribute::request_loader::Kind::TokenVerification
}

request_loader! {
    /// Says whether a token is revoked, like flask-jwt-extended's
    /// `@jwt.token_in_blocklist_loader`: `true` answers 401
    /// `Token has been revoked` (see `#[revoked_token]`). Skipped on routes
    /// with `skip_revocation_check`.
    ///
    /// # Grammar
    ///
    /// ```text
    /// #[token_in_blocklist]
    /// [async] fn NAME(PARAM, ...) -> bool { .. }      // PARAM as for #[user_lookup]
    /// ```
    ///
    /// ```
    /// use std::collections::HashSet;
    /// use std::sync::Mutex;
    ///
    /// use rocket::State;
    /// use rocket_jwt_extended::{loaders, token_in_blocklist, Claims, JwtManager};
    ///
    /// struct Revoked(Mutex<HashSet<String>>);
    ///
    /// #[token_in_blocklist]
    /// fn is_revoked(claims: &Claims, revoked: &State<Revoked>) -> bool {
    ///     let revoked = revoked.0.lock().unwrap();
    ///     claims.jti().is_some_and(|jti| revoked.contains(jti))
    /// }
    ///
    /// let rocket = rocket::build()
    ///     .manage(Revoked(Mutex::new(HashSet::new())))
    ///     .attach(JwtManager::new().loaders(loaders![is_revoked]));
    /// # let _ = rocket;
    /// ```
    ///
    /// A blocklist function that no `loaders![..]` lists refuses the launch
    /// (it would never be consulted, and revoked tokens would pass).
    token_in_blocklist => attribute::request_loader::Kind::TokenInBlocklist
}

request_loader! {
    /// Picks the secret that verifies a token from its unverified header and
    /// claims, like flask-jwt-extended's `@jwt.decode_key_loader`. The
    /// algorithm allow-list still applies.
    ///
    /// # Grammar
    ///
    /// ```text
    /// #[decode_key]
    /// [async] fn NAME(PARAM, ...) -> KEY { .. }    // PARAM as for #[user_lookup]
    /// KEY := String | &'static str | Vec<u8> | any AsRef<[u8]>
    /// ```
    ///
    /// ```
    /// use rocket_jwt_extended::{decode_key, loaders, JwtHeader, JwtManager};
    ///
    /// #[decode_key]
    /// fn key_for(header: &JwtHeader) -> String {
    ///     format!("a-tenant-secret-of-at-least-32-bytes-{}", header.kid().unwrap_or("default"))
    /// }
    ///
    /// let manager = JwtManager::new().loaders(loaders![key_for]);
    /// # let _ = manager;
    /// ```
    decode_key => attribute::request_loader::Kind::DecodeKey
}

request_loader! {
    /// A check of your own over the verified token and the request, applied
    /// declaratively with `#[jwt_required(check = NAME)]` (or `check = [a, b]`),
    /// like the decorators flask-jwt-extended users write around
    /// `verify_jwt_in_request()`. It runs after the token is verified, before
    /// the handler; `Err(response)` answers with that response instead.
    ///
    /// # Grammar
    ///
    /// ```text
    /// #[jwt_check]
    /// [async] fn NAME(PARAM, ...) -> Result<(), R> { .. }   // R: Responder; PARAM as for #[user_lookup]
    /// ```
    ///
    /// ```
    /// # #[macro_use] extern crate rocket;
    /// use rocket::http::Status;
    /// use rocket::serde::json::{json, Json, Value};
    /// use rocket_jwt_extended::{jwt_check, jwt_required, Claims};
    ///
    /// #[jwt_check]
    /// fn editors_only(claims: &Claims) -> Result<(), (Status, Json<Value>)> {
    ///     match claims.get_str("role") {
    ///         Some("editor") => Ok(()),
    ///         _ => Err((Status::Forbidden, Json(json!({ "msg": "Editors only!" })))),
    ///     }
    /// }
    ///
    /// #[jwt_required(check = editors_only)]
    /// #[post("/articles")]
    /// fn publish() -> &'static str { "published" }
    /// # let _ = routes![publish];
    /// ```
    ///
    /// A check is applied with `check = ..`, not listed in `loaders![..]`. Its
    /// name then stands for the check itself (what `check = NAME` passes), so
    /// a function without the attribute there is a compile error saying so;
    /// to also call the logic directly, put it in a plain function the check
    /// calls.
    jwt_check => attribute::request_loader::Kind::Check
}

macro_rules! error_handler {
    ($name:ident, $flask:literal, $default:literal, $params:literal, $args:literal) => {
        request_loader! {
            #[doc = concat!("The response when ", $default, ", ", $flask, ". Without one, the default answers.")]
            #[doc = ""]
            #[doc = "# Grammar"]
            #[doc = ""]
            #[doc = "```text"]
            #[doc = concat!("#[", stringify!($name), "]")]
            #[doc = concat!("[async] fn NAME(", $params, ", guard: G, ...) -> impl Responder { .. }")]
            #[doc = "```"]
            #[doc = ""]
            #[doc = "Any Rocket request guard may be added. Register with `loaders![NAME]`."]
            #[doc = ""]
            #[doc = "```"]
            #[doc = "use rocket::http::Status;"]
            #[doc = "use rocket::serde::json::{json, Json, Value};"]
            #[doc = concat!("use rocket_jwt_extended::{", stringify!($name), ", loaders, Claims, JwtHeader, JwtManager};")]
            #[doc = ""]
            #[doc = concat!("#[", stringify!($name), "]")]
            #[doc = concat!("fn handler(", $params, ") -> (Status, Json<Value>) {")]
            #[doc = concat!("    let _ = (", $args, ");")]
            #[doc = "    (Status::Unauthorized, Json(json!({ \"error\": \"...\" })))"]
            #[doc = "}"]
            #[doc = ""]
            #[doc = "let manager = JwtManager::new().loaders(loaders![handler]);"]
            #[doc = "# let _ = manager;"]
            #[doc = "# let _: Option<(&Claims, &JwtHeader)> = None;"]
            #[doc = "```"]
            $name => attribute::request_loader::Kind::Error(stringify!($name)),
            reason: $params.starts_with("reason")
        }
    };
}

error_handler!(
    expired_token,
    "like flask-jwt-extended's `@jwt.expired_token_loader`",
    "a token has expired (401 `Token has expired`)",
    "header: &JwtHeader, claims: &Claims",
    "header, claims"
);
error_handler!(
    invalid_token,
    "like flask-jwt-extended's `@jwt.invalid_token_loader`",
    "a token is invalid (422, the reason)",
    "reason: &str",
    "reason"
);
error_handler!(
    unauthorized,
    "like flask-jwt-extended's `@jwt.unauthorized_loader`",
    "no token is found or CSRF fails (401, the reason)",
    "reason: &str",
    "reason"
);
error_handler!(
    needs_fresh_token,
    "like flask-jwt-extended's `@jwt.needs_fresh_token_loader`",
    "a fresh token is required (401 `Fresh token required`)",
    "header: &JwtHeader, claims: &Claims",
    "header, claims"
);
error_handler!(
    revoked_token,
    "like flask-jwt-extended's `@jwt.revoked_token_loader`",
    "a token is revoked (401 `Token has been revoked`)",
    "header: &JwtHeader, claims: &Claims",
    "header, claims"
);
error_handler!(
    user_lookup_error,
    "like flask-jwt-extended's `@jwt.user_lookup_error_loader`",
    "the user lookup finds no user (401 `Error loading the user <identity>`)",
    "header: &JwtHeader, claims: &Claims",
    "header, claims"
);
error_handler!(
    store_unavailable,
    "a port addition (flask leaves storage to the application)",
    "the revocation store fails or does not answer in time (503 `Revocation store unavailable`; the request fails closed)",
    "reason: &str",
    "reason"
);
error_handler!(
    token_verification_failed,
    "like flask-jwt-extended's `@jwt.token_verification_failed_loader`",
    "token verification fails (400 `User claims verification failed`)",
    "header: &JwtHeader, claims: &Claims",
    "header, claims"
);

/// Answers every JWT refusal that has no handler of its own: one hook to
/// restyle all errors at once. A per-kind attribute (`#[expired_token]`,
/// `#[invalid_token]`, …) takes precedence for its kind. Register it with
/// `loaders![NAME]`.
///
/// # Grammar
///
/// ```text
/// #[jwt_error]
/// [async] fn NAME(PARAM, ..) -> impl Responder { .. }
/// PARAM := &JwtError | &str (the message) | &JwtHeader | &Claims | any request guard
/// ```
///
/// `&JwtError` has the kind (`error.kind()`), flask's status
/// (`error.status()`) and message (`error.to_string()`); the header and
/// claims are empty when the error carries no token.
///
/// ```
/// # #[macro_use] extern crate rocket;
/// use rocket::http::Status;
/// use rocket::local::blocking::Client;
/// use rocket::serde::json::{json, Json, Value};
/// use rocket_jwt_extended::{jwt_error, jwt_required, loaders, JwtError, JwtManager};
///
/// #[jwt_error]
/// fn every_error(error: &JwtError) -> (Status, Json<Value>) {
///     let body = json!({ "error": { "status": error.status().code, "message": error.to_string() } });
///     (error.status(), Json(body))
/// }
///
/// #[jwt_required]
/// #[get("/protected")]
/// fn protected() -> &'static str { "ok" }
///
/// let figment = rocket::Config::figment()
///     .merge(("jwt_secret_key", "a-doctest-secret-of-at-least-32-bytes"));
/// let rocket = rocket::custom(figment)
///     .attach(JwtManager::new().loaders(loaders![every_error]))
///     .mount("/", routes![protected]);
/// let client = Client::tracked(rocket).unwrap();
/// let response = client.get("/protected").dispatch();
/// assert_eq!(response.status(), Status::Unauthorized);
/// assert_eq!(
///     response.into_json::<Value>().unwrap(),
///     json!({ "error": { "status": 401, "message": "Missing Authorization Header" } })
/// );
/// ```
#[proc_macro_attribute]
pub fn jwt_error(args: TokenStream, item: TokenStream) -> TokenStream {
    attribute::request_loader::expand(
        attribute::request_loader::Kind::AnyError,
        false,
        args.into(),
        item.into(),
    )
    .into()
}

/// Collects loaders for `JwtManager::loaders`, like Rocket's `routes![]`.
///
/// # Grammar
///
/// ```text
/// loaders![PATH, ...]       // functions marked with a loader attribute, each once
/// ```
///
/// Every loader attribute records its function, and every `loaders![..]`
/// records what it lists: a loader that no `loaders![..]` in the binary names
/// would never run, so the manager refuses to launch and names it. (A loader
/// the application does not use on purpose goes in
/// `JwtManager::unused_loaders(loaders![..])`.)
///
/// ```
/// # #[macro_use] extern crate rocket;
/// use rocket::serde::json::{json, Value};
/// use rocket_jwt_extended::{additional_claims, loaders, token_in_blocklist, Claims, JwtManager};
///
/// #[additional_claims]
/// fn add_claims(identity: &str) -> Value {
///     json!({ "upcase_name": identity.to_uppercase() })
/// }
///
/// #[token_in_blocklist]
/// fn is_revoked(claims: &Claims) -> bool {
///     claims.jti() == Some("revoked")
/// }
///
/// let manager = JwtManager::new().loaders(loaders![add_claims, is_revoked]);
/// # let _ = manager;
/// ```
#[proc_macro]
pub fn loaders(input: TokenStream) -> TokenStream {
    attribute::loaders::expand(input.into()).into()
}

/// Signs each identity's tokens with its own secret, like flask-jwt-extended's
/// `@jwt.encode_key_loader`. Register with `loaders![NAME]`.
///
/// # Grammar
///
/// ```text
/// #[encode_key]
/// [async] fn NAME(identity: &str) -> KEY { .. }    // or (user: &User)
/// KEY := String | &'static str | Vec<u8> | any AsRef<[u8]>
/// ```
///
/// ```
/// use rocket_jwt_extended::{encode_key, loaders, JwtManager};
///
/// #[encode_key]
/// fn key_for(identity: &str) -> String {
///     format!("a-tenant-secret-of-at-least-32-bytes-{identity}")
/// }
///
/// let manager = JwtManager::new().loaders(loaders![key_for]);
/// # let _ = manager;
/// ```
#[proc_macro_attribute]
pub fn encode_key(args: TokenStream, item: TokenStream) -> TokenStream {
    attribute::encode_loader::expand(
        attribute::encode_loader::Kind::EncodeKey,
        args.into(),
        item.into(),
    )
    .into()
}

/// `#[jwt_required]` plus a truthy `is_administrator` claim (the claim is
/// `jwt_admin_claim` in the configuration); otherwise 403
/// `{"msg": "Admins only!"}`, as the admin decorator of flask-jwt-extended's
/// guide answers.
///
/// # Grammar
///
/// ```text
/// #[admin_required]
/// #[admin_required(ARG, ...)]      // every #[jwt_required] argument, check included
/// ```
///
/// ```
/// # #[macro_use] extern crate rocket;
/// use rocket::serde::json::{json, Value};
/// use rocket_jwt_extended::admin_required;
///
/// #[admin_required]
/// #[get("/admin")]
/// fn admin() -> Value {
///     json!({ "foo": "bar" })
/// }
/// # let _ = routes![admin];
/// ```
#[proc_macro_attribute]
pub fn admin_required(args: TokenStream, item: TokenStream) -> TokenStream {
    attribute::jwt_required::expand("admin_required", args.into(), item.into()).into()
}
