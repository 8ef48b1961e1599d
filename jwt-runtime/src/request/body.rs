//! The request body as a token location: the JSON members and form fields
//! the search reads (flask's `request.json` / `request.form`), read once by
//! a data guard (see `guards::body`) because request guards cannot.

use rocket::data::{Data, FromData, Limits};
use rocket::form::{self, DataField, Form, FromForm, ValueField};
use rocket::outcome::Outcome;
use rocket::request::Request;
use serde_json::Value;

/// The part of the body the token search looks at.
#[derive(Debug, Default)]
pub(crate) struct RequestBody {
    is_json: bool,
    json: Option<Value>,
    form: Vec<(String, String)>,
}

impl RequestBody {
    /// flask's `request.is_json`: `application/json` or `application/*+json`.
    pub(crate) fn is_json(&self) -> bool {
        self.is_json
    }

    /// A member of the top-level JSON object (none for any other JSON value).
    pub(crate) fn json_member(&self, key: &str) -> Option<&Value> {
        self.json.as_ref()?.as_object()?.get(key)
    }

    /// The first form field of that name.
    pub(crate) fn form_field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn from_json_text(req: &Request<'_>, text: &str) -> RequestBody {
        let is_json = content_is_json(req);
        RequestBody {
            is_json,
            json: if is_json {
                serde_json::from_str(text).ok()
            } else {
                None
            },
            form: Vec::new(),
        }
    }

    /// Reads the body as the search needs it: JSON for a JSON content type,
    /// fields for a form, nothing otherwise. A body that is cut at the limit or
    /// does not parse holds no token.
    pub(crate) async fn read<'r>(req: &'r Request<'_>, data: Data<'r>) -> RequestBody {
        if content_is_json(req) {
            let limit = req.limits().get("json").unwrap_or(Limits::JSON);
            let text = match data.open(limit).into_string().await {
                Ok(s) if s.is_complete() => s.into_inner(),
                _ => String::new(),
            };
            return RequestBody::from_json_text(req, &text);
        }
        let is_form = req
            .content_type()
            .is_some_and(|ct| ct.is_form() || ct.is_form_data());
        let form = if is_form {
            match Form::<FormFields>::from_data(req, data).await {
                Outcome::Success(fields) => fields.into_inner().0,
                _ => Vec::new(),
            }
        } else {
            Vec::new()
        };
        RequestBody {
            is_json: false,
            json: None,
            form,
        }
    }
}

/// `request.is_json`: the mimetype is `application/json` or `application/<x>+json`
/// (parameters such as `charset` do not matter).
fn content_is_json(req: &Request<'_>) -> bool {
    req.content_type().is_some_and(|ct| {
        ct.top() == "application"
            && (ct.sub() == "json" || {
                let sub = ct.sub().as_str();
                sub.len() > 5 && sub[sub.len() - 5..].eq_ignore_ascii_case("+json")
            })
    })
}

/// Every text field of a form, in order (files are skipped).
struct FormFields(Vec<(String, String)>);

#[rocket::async_trait]
impl<'r> FromForm<'r> for FormFields {
    type Context = Vec<(String, String)>;

    fn init(_: form::Options) -> Self::Context {
        Vec::new()
    }

    fn push_value(ctxt: &mut Self::Context, field: ValueField<'r>) {
        ctxt.push((field.name.source().to_string(), field.value.to_string()));
    }

    async fn push_data(_: &mut Self::Context, _: DataField<'r, '_>) {}

    fn finalize(ctxt: Self::Context) -> form::Result<'r, Self> {
        Ok(FormFields(ctxt))
    }
}
