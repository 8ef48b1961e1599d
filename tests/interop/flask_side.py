"""flask-jwt-extended side of the interop tests (tests/suite/interop.rs).

Usage: python flask_side.py '<json command>' with SECRET in the environment
(or ALGORITHM, PRIVATE_KEY and PUBLIC_KEY for an asymmetric algorithm).
  {"mint": true}           -> tokens minted by flask-jwt-extended
  {"mint_plain": true}     -> {"plain": one access token}, at once
  {"verify": {name: tok}}  -> for each token, what a @jwt_required route answers
  {"protected": [tok...]}  -> status and msg of GET /protected for each token
"""
import json
import os
import sys
import time
from datetime import timedelta

from flask import Flask, jsonify
from flask_jwt_extended import (JWTManager, create_access_token, create_refresh_token,
                                get_jwt, get_jwt_header, get_jwt_identity, jwt_required)

app = Flask(__name__)
if os.environ.get("ALGORITHM"):
    app.config["JWT_ALGORITHM"] = os.environ["ALGORITHM"]
    app.config["JWT_PRIVATE_KEY"] = os.environ["PRIVATE_KEY"]
    app.config["JWT_PUBLIC_KEY"] = os.environ["PUBLIC_KEY"]
else:
    app.config["JWT_SECRET_KEY"] = os.environ["SECRET"]
JWTManager(app)


@app.get("/protected")
@jwt_required()
def protected():
    claims, header = get_jwt(), get_jwt_header()
    return jsonify(identity=get_jwt_identity(), fresh=claims.get("fresh"), role=claims.get("role"), kid=header.get("kid"))


@app.get("/any")
@jwt_required(verify_type=False)
def any_type():
    return jsonify(identity=get_jwt_identity())


def get_unverified_jwt_headers_of(token):
    from flask_jwt_extended import get_unverified_jwt_headers
    return get_unverified_jwt_headers(token)


def main():
    cmd = json.loads(sys.argv[1])
    client = app.test_client()
    if cmd.get("mint_plain"):
        with app.app_context():
            out = {"plain": create_access_token("flask-user"),
                   "header": get_unverified_jwt_headers_of(create_access_token("flask-user"))}
    elif cmd.get("mint"):
        with app.app_context():
            out = {
                "plain": create_access_token("flask-user"),
                "fresh_until": create_access_token("flask-user", fresh=timedelta(minutes=10)),
                "custom": create_access_token("flask-user", additional_claims={"role": "admin"},
                                              additional_headers={"kid": "k1"}),
                "refresh": create_refresh_token("flask-user"),
                "expired": create_access_token("flask-user", expires_delta=timedelta(seconds=1)),
            }
        time.sleep(2.1)
    elif "verify" in cmd:
        out = {}
        for name, tok in cmd["verify"].items():
            path = "/any" if name == "refresh" else "/protected"
            r = client.get(path, headers={"Authorization": "Bearer " + tok})
            body = r.get_json()
            entry = {"status": r.status_code}
            if r.status_code != 200:
                entry["msg"] = body.get("msg")
            elif name == "plain":
                entry["identity"] = body["identity"]
            elif name == "fresh_until":
                entry["fresh"] = body["fresh"]
            elif name == "custom":
                entry.update(role=body["role"], kid=body["kid"])
            out[name] = entry
    else:
        out = []
        for tok in cmd["protected"]:
            r = client.get("/protected", headers={"Authorization": "Bearer " + tok})
            out.append({"status": r.status_code, "msg": (r.get_json() or {}).get("msg")})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
