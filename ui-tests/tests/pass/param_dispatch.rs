#![deny(warnings)]
// Loader parameters are dispatched by trait impls, not by the spelling of
// their types: a request guard of the application's own called `Claims` is
// resolved as a guard, and an alias of the token's `&Claims` is the token's.
use rocket::request::{FromRequest, Outcome, Request};
use rocket_jwt_extended::{jwt_check, loaders, token_in_blocklist, user_lookup, JwtManager};

mod mine {
    /// An application type that happens to share the token's name.
    pub struct Claims {
        pub tenant: String,
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for mine::Claims {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let tenant = req.headers().get_one("X-Tenant").unwrap_or("").to_owned();
        Outcome::Success(mine::Claims { tenant })
    }
}

type TokenClaims<'a> = &'a rocket_jwt_extended::Claims;

#[token_in_blocklist]
fn revoked(claims: TokenClaims<'_>, tenant: mine::Claims) -> bool {
    claims.jti().is_none() || tenant.tenant == "closed"
}

#[user_lookup]
fn load(identity: &str, tenant: mine::Claims) -> Option<String> {
    Some(format!("{identity}@{}", tenant.tenant))
}

#[jwt_check]
fn same_tenant(
    claims: &rocket_jwt_extended::Claims,
    tenant: mine::Claims,
) -> Result<(), rocket::http::Status> {
    match claims.get_str("tenant") == Some(tenant.tenant.as_str()) {
        true => Ok(()),
        false => Err(rocket::http::Status::Forbidden),
    }
}

#[rocket_jwt_extended::jwt_required(check = same_tenant)]
#[rocket::get("/tenant")]
fn tenant_only() -> &'static str {
    "ok"
}

fn main() {
    let _ = JwtManager::new().loaders(loaders![revoked, load]);
    let _ = rocket::routes![tenant_only];
}
