//! Interop with real flask-jwt-extended (installed from PyPI into a venv under
//! `target/` on first use): tokens minted by either side are accepted by the
//! other with the same secret; expired ones are refused by both.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use rocket::http::Status;
use serde_json::{json, Value};

use crate::common::*;

fn python() -> &'static PathBuf {
    static PY: OnceLock<PathBuf> = OnceLock::new();
    PY.get_or_init(|| {
        if let Ok(p) = std::env::var("INTEROP_PYTHON") {
            return PathBuf::from(p);
        }
        let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/interop-venv");
        let py = venv.join("bin/python");
        let ready = Command::new(&py)
            .args(["-c", "import flask_jwt_extended, cryptography"])
            .status()
            .is_ok_and(|s| s.success());
        if !ready {
            let ok = Command::new("python3")
                .args(["-m", "venv"])
                .arg(&venv)
                .status()
                .is_ok_and(|s| s.success());
            assert!(
                ok,
                "python3 -m venv failed: interop tests need Python 3 with venv"
            );
            let ok = Command::new(venv.join("bin/pip"))
                .args([
                    "install",
                    "-q",
                    "flask>=3.1",
                    "flask-jwt-extended==4.7.*",
                    "PyJWT[crypto]>=2.10",
                ])
                .status()
                .is_ok_and(|s| s.success());
            assert!(
                ok,
                "pip install flask-jwt-extended failed (PyPI must be reachable)"
            );
        }
        py
    })
}

/// Runs tests/interop/flask_side.py with one JSON command; returns its JSON answer.
fn flask(command: Value) -> Value {
    flask_with(command, &[])
}

/// The same, with more environment (an asymmetric algorithm and its keys).
fn flask_with(command: Value, env: &[(&str, &str)]) -> Value {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop/flask_side.py");
    let out = Command::new(python())
        .arg(script)
        .arg(command.to_string())
        .env("SECRET", SECRET)
        .envs(env.iter().copied())
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "flask side failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("flask side prints JSON")
}

#[test]
fn flask_tokens_are_accepted_by_us() {
    let minted = flask(json!({"mint": true}));
    let c = client();
    let get = |path: &'static str, tok: &str| json_of(c.get(path).header(bearer(tok)).dispatch());

    let (status, body) = get("/protected", minted["plain"].as_str().unwrap());
    assert_eq!(status, Status::Ok);
    assert_eq!(body["identity"], "flask-user");
    let (status, body) = get("/fresh", minted["fresh_until"].as_str().unwrap());
    assert_eq!(status, Status::Ok, "{body}");
    assert!(body["claims"]["fresh"].is_f64());
    let (status, body) = get("/protected", minted["custom"].as_str().unwrap());
    assert_eq!(status, Status::Ok);
    assert_eq!(body["claims"]["role"], "admin");
    assert_eq!(body["header"]["kid"], "k1");
    let (status, _) = json_of(
        c.post("/refresh")
            .header(bearer(minted["refresh"].as_str().unwrap()))
            .dispatch(),
    );
    assert_eq!(status, Status::Ok);
    assert_eq!(
        answer(
            c.get("/protected")
                .header(bearer(minted["expired"].as_str().unwrap()))
                .dispatch()
        ),
        (Status::Unauthorized, "Token has expired".into())
    );
}

#[test]
fn our_tokens_are_accepted_by_flask() {
    let c = client();
    let s = state(&c);
    let now = now() as f64;
    let tokens = json!({
        "plain": s.create_access_token("rocket-user").unwrap(),
        "fresh_until": s.access_token("rocket-user").fresh(std::time::Duration::from_secs(600)).sign().unwrap(),
        "custom": s.access_token("rocket-user").additional_claims(json!({"role": "admin"})).additional_headers(json!({"kid": "k1"})).sign().unwrap(),
        "refresh": s.create_refresh_token("rocket-user").unwrap(),
        "expired": s.access_token("rocket-user").expires_in(std::time::Duration::from_secs(1)).sign().unwrap(),
    });
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let verdict = flask(json!({"verify": tokens}));
    assert_eq!(
        verdict["plain"],
        json!({"status": 200, "identity": "rocket-user"})
    );
    assert_eq!(verdict["fresh_until"]["status"], 200, "{verdict}");
    assert!(verdict["fresh_until"]["fresh"].as_f64().unwrap() > now);
    assert_eq!(verdict["custom"]["role"], "admin");
    assert_eq!(verdict["custom"]["kid"], "k1");
    assert_eq!(verdict["refresh"]["status"], 200);
    assert_eq!(
        verdict["expired"],
        json!({"status": 401, "msg": "Token has expired"})
    );
}

#[test]
fn malformed_tokens_get_the_same_answer_from_both() {
    // The same bad tokens, sent to real flask-jwt-extended and to us.
    let c = client();
    let now = now();
    let payload = claims(json!({})).to_string();
    let cases: Vec<String> = vec![
        "xxx".into(),
        "aaa.bbb".into(),
        "aaaaa.bbbbb.ccccc".into(),
        forge_raw(
            r#"{"alg":"HS256"}"#,
            &payload,
            "another-secret-key-that-is-at-least-32-bytes",
        ),
        forge_raw(r#"{"alg":"HS512"}"#, &payload, SECRET),
        format!("{}.{}.", b64(br#"{"alg":"none"}"#), b64(payload.as_bytes())),
        forge(json!({"exp": now - 30})),
        forge(json!({"nbf": now + 60})),
        forge(json!({"iat": now + 60})),
        forge(json!({"exp": "soon"})),
        forge(json!({"sub": null})),
        forge(json!({"sub": 5})),
        forge(json!({"jti": 5})),
        forge(json!({"type": "refresh"})),
        forge_raw(r#"{"alg":"HS256","kid":1}"#, &payload, SECRET),
        forge_raw(r#"{"alg":"HS256"}"#, "[1]", SECRET),
        forge_raw(r#"{"typ":"JWT"}"#, &payload, SECRET),
    ];
    let theirs = flask(json!({"protected": cases}));
    for (i, tok) in cases.iter().enumerate() {
        let (status, msg) = answer(c.get("/protected").header(bearer(tok)).dispatch());
        assert_eq!(
            status.code as i64,
            theirs[i]["status"].as_i64().unwrap(),
            "case {i}: {tok}"
        );
        assert_eq!(msg, theirs[i]["msg"].as_str().unwrap(), "case {i}: {tok}");
    }
}

#[test]
fn asymmetric_tokens_interoperate_both_ways() {
    use rocket_jwt_extended::keys::{generate_key_pair, Algorithm};
    for alg in [
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA",
    ] {
        let pair = generate_key_pair(alg.parse::<Algorithm>().unwrap()).unwrap();
        let env = [
            ("ALGORITHM", alg),
            ("PRIVATE_KEY", pair.private_pem.as_str()),
            ("PUBLIC_KEY", pair.public_pem.as_str()),
        ];
        let ours = client_with(
            rocket::figment::Figment::from(rocket::Config::debug_default())
                .merge(("log_level", "off"))
                .merge(("jwt_algorithm", alg))
                .merge(("jwt_private_key", pair.private_pem.clone())),
        );

        // flask-jwt-extended's token (no kid) verifies here...
        let minted = flask_with(json!({"mint_plain": true}), &env);
        assert_eq!(minted["header"]["alg"], alg);
        let (status, body) = json_of(
            ours.get("/protected")
                .header(bearer(minted["plain"].as_str().unwrap()))
                .dispatch(),
        );
        assert_eq!(status, Status::Ok, "{alg}: {body}");
        assert_eq!(body["identity"], "flask-user");

        // ... and ours (with a kid) verifies there; a tampered one nowhere.
        let token = state(&ours).create_access_token("rocket-user").unwrap();
        let mut tampered = token.clone();
        tampered.truncate(token.len() - 4);
        tampered.push_str(if token.ends_with("AAAA") {
            "BBBB"
        } else {
            "AAAA"
        });
        let verdict = flask_with(
            json!({"verify": {"plain": token, "custom": tampered}}),
            &env,
        );
        assert_eq!(
            verdict["plain"],
            json!({"status": 200, "identity": "rocket-user"}),
            "{alg}"
        );
        assert_ne!(verdict["custom"]["status"], 200, "{alg}");
        assert_ne!(
            json_of(ours.get("/protected").header(bearer(&tampered)).dispatch()).0,
            Status::Ok
        );
    }
}
