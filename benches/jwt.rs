//! Benchmarks, each beside a baseline measured in the same run:
//! - encode: `create_access_token` vs raw `jsonwebtoken::encode` of the same claims;
//! - decode: `decode_token` (all of flask's checks) vs raw `jsonwebtoken::decode`;
//! - route: a `#[jwt_required]` route vs the same route unprotected, through
//!   Rocket's local client;
//! - cookie / json: the token from the access cookie (GET, no CSRF) / the JSON
//!   body vs the same token from the `Authorization` header;
//! - loaders: a route with a blocklist, a token-verification and a user-lookup
//!   loader (each reading managed state through a request guard) vs no loaders.
//!
//! `cargo bench --bench jwt` runs criterion for the details, then prints the
//! ratios from a paired run: short batches of baseline and ours alternate
//! (order flipped each round) and the median of the per-round ratios is
//! reported, so drift of a shared machine cancels out of the ratio.

#[macro_use]
extern crate rocket;

mod paired;

use criterion::{black_box, Criterion};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use paired::paired;
use rocket::figment::Figment;
use rocket::http::Header as HttpHeader;
use rocket::local::blocking::Client;
use rocket::State;
use rocket_jwt_extended::{
    jwt_required, loaders, token_in_blocklist, token_verification, user_lookup, Claims, JwtManager,
    JwtState,
};
use serde_json::{json, Map, Value};

const SECRET: &str = "benchmark-secret-key-that-is-at-least-32-bytes";

#[jwt_required]
#[get("/protected")]
fn protected() -> &'static str {
    "ok"
}

#[get("/open")]
fn open() -> &'static str {
    "ok"
}

#[jwt_required(locations = "headers")]
#[post("/header")]
fn header_only() -> &'static str {
    "ok"
}

#[jwt_required(locations = "cookies")]
#[get("/cookie")]
fn cookie_only() -> &'static str {
    "ok"
}

#[jwt_required(locations = "json")]
#[post("/json")]
fn json_only() -> &'static str {
    "ok"
}

/// What the loaders consult.
struct Store {
    revoked: Vec<String>,
}

#[token_in_blocklist]
fn revoked(claims: &Claims, store: &State<Store>) -> bool {
    claims
        .jti()
        .is_some_and(|j| store.revoked.iter().any(|r| r == j))
}

#[token_verification]
fn verified(claims: &Claims) -> bool {
    claims.get("type").is_some()
}

#[user_lookup]
fn user(identity: &str, store: &State<Store>) -> Option<String> {
    (!store.revoked.iter().any(|r| r == identity)).then(|| identity.to_owned())
}

fn figment() -> Figment {
    Figment::from(rocket::Config::release_default())
        .merge(("log_level", "off"))
        .merge(("jwt_secret_key", SECRET))
}

/// Everything both measurements use, built once.
struct Fixture {
    state: JwtState,
    enc: EncodingKey,
    dec: DecodingKey,
    validation: Validation,
    token: String,
    client: Client,
    loaded: Client,
    auth: HttpHeader<'static>,
    cookie: rocket::http::Cookie<'static>,
    json_body: String,
}

impl Fixture {
    fn new() -> Self {
        let state = JwtManager::new().build_state(&figment()).unwrap();
        let token = state.create_access_token("admin").unwrap();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.validate_nbf = true;
        let rocket = rocket::custom(figment()).attach(JwtManager::new()).mount(
            "/",
            routes![protected, open, header_only, cookie_only, json_only],
        );
        let loaded = rocket::custom(figment())
            .manage(Store {
                revoked: vec!["some-other-jti".into()],
            })
            .attach(JwtManager::new().loaders(loaders![revoked, verified, user]))
            .mount("/", routes![protected]);
        Fixture {
            state,
            enc: EncodingKey::from_secret(SECRET.as_bytes()),
            dec: DecodingKey::from_secret(SECRET.as_bytes()),
            validation,
            auth: HttpHeader::new("Authorization", format!("Bearer {token}")),
            cookie: rocket::http::Cookie::new("access_token_cookie", token.clone()),
            json_body: json!({ "access_token": token }).to_string(),
            token,
            client: Client::untracked(rocket).unwrap(),
            loaded: Client::untracked(loaded).unwrap(),
        }
    }

    /// The claims flask-jwt-extended writes, with fresh random `jti` and
    /// `csrf` as every real token has, so the baseline does the same work.
    fn encode_baseline(&self) {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let claims = json!({"fresh": false, "iat": now, "jti": uuid::Uuid::new_v4().to_string(),
            "type": "access", "sub": "admin", "nbf": now, "csrf": uuid::Uuid::new_v4().to_string(),
            "exp": now + 900});
        black_box(
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.enc).unwrap(),
        );
    }

    fn encode_ours(&self) {
        black_box(self.state.create_access_token(black_box("admin")).unwrap());
    }

    fn decode_baseline(&self) {
        let t = black_box(self.token.as_str());
        black_box(
            jsonwebtoken::decode::<Map<String, Value>>(t, &self.dec, &self.validation).unwrap(),
        );
    }

    fn decode_ours(&self) {
        black_box(
            self.state
                .decode_token(black_box(&self.token), false)
                .unwrap(),
        );
    }

    fn get(&self, path: &'static str) {
        let r = self.client.get(path).header(self.auth.clone()).dispatch();
        assert_eq!(r.status().code, 200);
    }

    fn header_post(&self) {
        let r = self
            .client
            .post("/header")
            .header(rocket::http::ContentType::JSON)
            .header(self.auth.clone())
            .body(&self.json_body)
            .dispatch();
        assert_eq!(r.status().code, 200);
    }

    fn json_post(&self) {
        let r = self
            .client
            .post("/json")
            .header(rocket::http::ContentType::JSON)
            .body(&self.json_body)
            .dispatch();
        assert_eq!(r.status().code, 200);
    }

    fn cookie_get(&self) {
        let r = self
            .client
            .get("/cookie")
            .cookie(self.cookie.clone())
            .dispatch();
        assert_eq!(r.status().code, 200);
    }

    fn loaded_get(&self) {
        let r = self
            .loaded
            .get("/protected")
            .header(self.auth.clone())
            .dispatch();
        assert_eq!(r.status().code, 200);
    }
}

type Pair = (
    &'static str,
    &'static str,
    fn(&Fixture),
    &'static str,
    fn(&Fixture),
);

/// (group, baseline name, baseline, ours name, ours)
const PAIRS: [Pair; 6] = [
    (
        "encode",
        "jsonwebtoken::encode",
        Fixture::encode_baseline,
        "create_access_token",
        Fixture::encode_ours,
    ),
    (
        "decode",
        "jsonwebtoken::decode",
        Fixture::decode_baseline,
        "decode_token",
        Fixture::decode_ours,
    ),
    (
        "route",
        "unprotected (local client)",
        |f| f.get("/open"),
        "#[jwt_required]",
        |f| f.get("/protected"),
    ),
    (
        "cookie",
        "header location (GET)",
        |f| f.get("/protected"),
        "cookie location (GET)",
        Fixture::cookie_get,
    ),
    (
        "json",
        "header location (POST+body)",
        Fixture::header_post,
        "json body location",
        Fixture::json_post,
    ),
    (
        "loaders",
        "#[jwt_required], no loaders",
        |f| f.get("/protected"),
        "3 request loaders",
        Fixture::loaded_get,
    ),
];

fn main() {
    let fixture = Fixture::new();
    let mut c = Criterion::default().configure_from_args();
    for (group, base_name, base, ours_name, ours) in PAIRS {
        let mut g = c.benchmark_group(group);
        g.bench_function(format!("baseline {base_name}"), |b| {
            b.iter(|| base(&fixture))
        });
        g.bench_function(ours_name, |b| b.iter(|| ours(&fixture)));
        g.finish();
    }
    c.final_summary();

    println!("\npaired ratios (ours / baseline, alternating batches, medians):");
    for (group, base_name, base, ours_name, ours) in PAIRS {
        let (b, o, r) = paired(&|| base(&fixture), &|| ours(&fixture), 41, 2000);
        println!(
            "  {group:<7} {ours_name:<20} {o:>7.0} ns vs {base_name:<27} {b:>7.0} ns = {r:.3}x"
        );
    }
}
