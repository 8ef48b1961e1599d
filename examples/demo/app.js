// The demo page: polls the session, sends the CSRF cookie's value as the
// X-CSRF-TOKEN header on every unsafe request (double submit), and shows
// what the server answers. The access token itself is in an HttpOnly cookie
// this script cannot read.
"use strict";

const $ = (id) => document.getElementById(id);
let lastIssuedAt = null;
let renewals = 0;
let state = { logged_in: false };

function cookie(name) {
  const prefix = name + "=";
  const found = document.cookie.split("; ").find((c) => c.startsWith(prefix));
  return found ? decodeURIComponent(found.slice(prefix.length)) : null;
}

async function api(method, path, body) {
  const headers = { "Accept": "application/json" };
  if (method !== "GET") {
    const csrf = cookie("csrf_access_token");
    if (csrf) headers["X-CSRF-TOKEN"] = csrf;
  }
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = {};
  try { data = await res.json(); } catch (_) { /* no body */ }
  return { status: res.status, data };
}

function show(id, visible) { $(id).hidden = !visible; }

function say(id, text, ok) {
  const el = $(id);
  el.textContent = text || "";
  el.classList.toggle("ok", !!ok);
  el.classList.toggle("error", !ok);
}

function badge(el, yes, yesText, noText) {
  el.innerHTML = "";
  const span = document.createElement("span");
  span.className = "badge " + (yes ? "yes" : "no");
  span.textContent = yes ? yesText : noText;
  el.appendChild(span);
}

function render() {
  const s = state;
  show("login-panel", !s.logged_in);
  show("session-panel", s.logged_in);
  show("password-panel", s.logged_in);
  show("admin-panel", s.logged_in);
  if (!s.logged_in) return;
  $("identity").textContent = s.username;
  $("role").textContent = s.admin ? "admin" : "user";
  const left = Math.max(0, Math.round(s.expires_at - Date.now() / 1000));
  $("remaining").textContent = left + " s";
  const freshUntil = typeof s.fresh_until === "number" ? s.fresh_until : null;
  const freshNow = freshUntil !== null ? freshUntil > Date.now() / 1000 : !!s.fresh;
  badge($("fresh"), freshNow, freshUntil ? "fresh for " + Math.round(freshUntil - Date.now() / 1000) + " s" : "fresh", "not fresh");
  $("renewed").textContent = new Date(s.issued_at * 1000).toLocaleTimeString();
  $("renewals").textContent = String(renewals);
}

async function refreshSession() {
  const { status, data } = await api("GET", "/api/session");
  if (status === 200 && data.logged_in) {
    if (lastIssuedAt !== null && data.issued_at !== lastIssuedAt) renewals += 1;
    lastIssuedAt = data.issued_at;
    state = data;
  } else {
    if (state.logged_in && status !== 200) say("login-message", data.msg || "Your session has ended", false);
    state = { logged_in: false };
    lastIssuedAt = null;
  }
  render();
}

$("login-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const { status, data } = await api("POST", "/api/login", {
    username: $("username").value, password: $("password").value,
  });
  if (status === 200) {
    say("login-message", "", true);
    $("password").value = "";
    renewals = 0;
    lastIssuedAt = null;
  } else {
    say("login-message", data.msg || "Login failed", false);
  }
  await refreshSession();
});

async function changePassword() {
  const { status, data } = await api("POST", "/api/password", { new_password: $("new-password").value });
  if (status === 200) {
    show("reauth-form", false);
    $("new-password").value = "";
    say("password-message", "Password changed", true);
  } else if (status === 401 && data.msg === "Fresh token required") {
    show("reauth-form", true);
    say("password-message", "Please confirm your current password", false);
  } else {
    say("password-message", data.msg || "The password could not be changed", false);
  }
}

$("password-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  await changePassword();
});

$("reauth-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const { status, data } = await api("POST", "/api/reauth", { password: $("reauth-password").value });
  $("reauth-password").value = "";
  if (status === 200) {
    show("reauth-form", false);
    await changePassword();
  } else {
    say("password-message", data.msg || "Wrong password", false);
  }
  await refreshSession();
});

$("admin-button").addEventListener("click", async () => {
  const { status, data } = await api("GET", "/api/admin");
  const content = $("admin-content");
  content.innerHTML = "";
  if (status !== 200) {
    say("admin-message", data.msg || "Refused", false);
    return;
  }
  say("admin-message", "", true);
  const table = document.createElement("table");
  table.id = "admin-users";
  table.innerHTML = "<tr><th>User</th><th>Role</th></tr>";
  for (const u of data.users) {
    const row = table.insertRow();
    row.insertCell().textContent = u.username;
    row.insertCell().textContent = u.admin ? "admin" : "user";
  }
  content.appendChild(table);
});

$("logout-button").addEventListener("click", async () => {
  await api("POST", "/api/logout");
  say("login-message", "Logged out", true);
  state = { logged_in: false };
  await refreshSession();
});

$("logout-all-button").addEventListener("click", async () => {
  await api("POST", "/api/logout_all");
  say("login-message", "Logged out everywhere", true);
  state = { logged_in: false };
  await refreshSession();
});

refreshSession();
setInterval(refreshSession, 1000);
setInterval(render, 250);
