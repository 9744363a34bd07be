// The phone page: this browser plays the signed-in phone of the flow. It signs in with
// an account (X-SSO-ID), makes link codes that a TV types, lists the profile's devices
// and unlinks them (sso.js does the calls). Its state lives in this origin's
// localStorage, so a reload keeps the phone signed in.
(function () {
  "use strict";

  var app = document.getElementById("app");
  var sp = app.dataset.sp;
  var api = "/api/" + encodeURIComponent(sp);
  var el = function (id) { return document.getElementById(id); };
  var session = handoffSSO.session("handoff.phone." + sp, "handoff-phone-page");
  var show = handoffSSO.status(app), errorOf = handoffSSO.errorOf;

  // While a code is live the list is polled, so that the TV shows up once it joins.
  var pollEvery = 3000;
  var countdownTimer = null, pollTimer = null;

  // unlinkedError is thrown when the sandbox refuses this phone's service token
  // because a device unlinked it.
  function unlinkedError() { var e = new Error("unlinked"); e.unlinked = true; return e; }

  async function deviceHeaders(st, extra) {
    return Object.assign({ "AP-Device-Identifier": "fingerprint " + await session.deviceKey(st) }, extra);
  }

  // authed calls an endpoint with the phone's service token, refreshing the token once
  // when the sandbox says it expired.
  async function authed(st, method, path, extra, body) {
    for (var attempt = 0; attempt < 2; attempt++) {
      var res = await session.sso(st, method, path, await deviceHeaders(st, Object.assign({ "AD-Service-Token": st.serviceToken }, extra)), body);
      var e = errorOf(res.data);
      if (res.status === 401 && e.code === "unauthorized") { throw unlinkedError(); }
      if (!(res.status === 401 && e.code === "token_expired") || attempt > 0) { return res; }
      await refresh(st);
    }
  }

  async function refresh(st) {
    var res = await session.sso(st, "GET", api + "/serviceToken", await deviceHeaders(st, { "AD-Service-Token": st.serviceToken }));
    if (res.status === 401 && errorOf(res.data).code === "unauthorized") { throw unlinkedError(); }
    if (res.status !== 200) {
      throw new Error("The sandbox would not renew this phone's service token (" + (errorOf(res.data).message || res.status) + "): sign in again.");
    }
    st.serviceToken = res.data.serviceToken;
    st.notAfter = res.data.notAfter;
    session.save(st);
  }

  // --- the page's views -----------------------------------------------------------
  function stopTimers() {
    clearInterval(countdownTimer);
    clearInterval(pollTimer);
    countdownTimer = pollTimer = null;
  }

  function signedOut(state, title, detail) {
    stopTimers();
    ["signed-in", "code-panel", "devices-panel"].forEach(function (id) { el(id).hidden = true; });
    el("signin-form").hidden = false;
    el("sso-id").value = session.load().ssoId || "";
    show(state, title, detail, state === "signed-out" ? undefined : false);
    el("sso-id").focus();
  }

  function signedIn(st, title) {
    var c = handoffSSO.claims(st.serviceToken);
    el("who").textContent = st.ssoId || c.sub || "";
    el("profile-id").textContent = c.sub || "(unknown)";
    el("device-key").textContent = st.deviceKey;
    el("signin-form").hidden = true;
    el("signed-in").hidden = false;
    el("devices-panel").hidden = false;
    show("signed-in", title, "Make a link code for a TV, or manage the profile's devices below.", true);
  }

  function grouped(code) { return code.length === 6 ? code.slice(0, 3) + " " + code.slice(3) : code; }

  function showCode(code, notAfter) {
    clearInterval(countdownTimer);
    var panel = el("code-panel");
    panel.hidden = false;
    panel.dataset.state = "live";
    panel.dataset.code = code;
    el("link-code").textContent = grouped(code);
    el("link-code").setAttribute("aria-label", "Link code " + code.split("").join(" "));
    el("redeem-hint").textContent = "handoff redeem " + code;
    panel.scrollIntoView({ block: "nearest" });
    function tick() {
      var left = Math.round((notAfter - Date.now()) / 1000);
      if (left <= 0) {
        clearInterval(countdownTimer);
        clearInterval(pollTimer);
        panel.dataset.state = "expired";
        el("countdown").textContent = "Expired: make a new code.";
        return;
      }
      el("countdown").textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0") + " left";
    }
    tick();
    countdownTimer = setInterval(tick, 1000);
    clearInterval(pollTimer);
    pollTimer = setInterval(function () { listDevices(session.load()).catch(fail); }, pollEvery);
  }

  var joinedVia = { regular: "signed in", sso: "joined with a link code", platformSSO: "joined with its platform identity" };

  function text(v) {
    if (v === undefined || v === null) { return ""; }
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  }

  function renderDevices(st, devices) {
    var list = el("devices");
    var keys = Object.keys(devices).sort(function (a, b) {
      if (a === st.deviceKey || b === st.deviceKey) { return a === st.deviceKey ? -1 : 1; }
      return (Number(devices[b].lastSeen) || 0) - (Number(devices[a].lastSeen) || 0);
    });
    list.textContent = "";
    list.dataset.count = String(keys.length);
    keys.forEach(function (key) {
      var d = devices[key] || {};
      var li = document.createElement("li");
      li.dataset.key = key;
      li.dataset.type = text(d.type);
      var name = document.createElement("p");
      name.className = "device-name";
      name.textContent = (text(d.model) || "Unknown device") + (key === st.deviceKey ? " (this phone)" : "");
      var meta = document.createElement("p");
      meta.className = "device-meta";
      var seen = Number(d.lastSeen) ? ", last seen " + new Date(Number(d.lastSeen)).toLocaleTimeString() : "";
      meta.textContent = [text(d.deviceType), (text(d.os) + " " + text(d.osVersion)).trim()].filter(Boolean).join(" · ") +
        " — " + (joinedVia[d.type] || text(d.type)) + seen;
      var keyLine = document.createElement("code");
      keyLine.className = "device-key";
      keyLine.textContent = key;
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "danger wide unlink";
      btn.dataset.key = key;
      btn.textContent = key === st.deviceKey ? "Unlink this phone" : "Unlink";
      btn.setAttribute("aria-label", "Unlink " + name.textContent);
      li.append(name, meta, keyLine, btn);
      list.appendChild(li);
    });
    if (keys.length === 0) {
      var none = document.createElement("li");
      none.textContent = "No device: this profile is empty.";
      list.appendChild(none);
    }
  }

  // --- the steps ------------------------------------------------------------------
  async function signIn(id) {
    id = id.trim();
    if (!id || /[^\x20-\x7e]/.test(id)) {
      show("signed-out", "Type an account name.", "Use letters, digits and plain punctuation (like alice@example.com), up to 256.", false);
      el("sso-id").focus();
      return;
    }
    var st = session.load();
    show("working", "Signing in…");
    el("signin").disabled = true;
    try {
      var res = await session.sso(st, "POST", api + "/serviceToken",
        await deviceHeaders(st, { "X-Device-Info": session.deviceInfo(), "X-SSO-ID": id }));
      if (res.status !== 201) {
        show("error", "The sandbox did not sign this phone in.", errorOf(res.data).message || "It answered " + res.status + ".", false);
        return;
      }
      st.serviceToken = res.data.serviceToken;
      st.notAfter = res.data.notAfter;
      st.ssoId = id;
      session.save(st);
      signedIn(st, "This phone is signed in.");
      await listDevices(st);
    } finally {
      el("signin").disabled = false;
    }
  }

  async function makeCode(st) {
    el("make-code").disabled = true;
    try {
      var res = await authed(st, "POST", api + "/link");
      if (res.status !== 201) {
        show("error", "The sandbox did not make a link code.", errorOf(res.data).message || "It answered " + res.status + ".", false);
        return;
      }
      showCode(res.data.code || res.data.link, res.data.notAfter);
      show("signed-in", "Link code ready.", "Type it on the TV before the countdown ends; it works once.", true);
    } finally {
      el("make-code").disabled = false;
    }
  }

  async function listDevices(st) {
    var res = await authed(st, "GET", api + "/list");
    if (res.status !== 200) {
      show("error", "The sandbox did not list the devices.", errorOf(res.data).message || "It answered " + res.status + ".", false);
      return;
    }
    var devices = (res.data && res.data.devices) || {};
    renderDevices(st, devices);
    var code = el("code-panel").dataset;
    if (code.state === "live" && Object.keys(devices).length > Number(code.devicesBefore || Infinity)) {
      clearInterval(pollTimer);
      show("signed-in", "A device joined the profile.", "It is in the list below.", true);
    }
    code.devicesBefore = String(Object.keys(devices).length);
  }

  async function unlink(st, key) {
    show("working", "Unlinking…");
    var res = await authed(st, "POST", api + "/unlink", { "Content-Type": "application/json" }, JSON.stringify({ devices: [key] }));
    if (res.status !== 200) {
      show("error", "The sandbox did not unlink the device.", errorOf(res.data).message || "It answered " + res.status + ".", false);
      return;
    }
    if (key === st.deviceKey) { throw unlinkedError(); }
    show("signed-in", "Device unlinked.", "Its service tokens no longer work.", true);
    await listDevices(st);
  }

  function fail(err) {
    if (err && err.unlinked) {
      var st = session.load();
      delete st.serviceToken;
      session.save(st);
      signedOut("unlinked", "This phone was unlinked.", "It left the profile. Sign in again to rejoin it.");
      return;
    }
    show("error", "Something went wrong.", err && err.message ? err.message : "The sandbox could not be reached.", false);
  }

  el("signin-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    signIn(el("sso-id").value).catch(fail);
  });
  el("make-code").addEventListener("click", function () { makeCode(session.load()).catch(fail); });
  el("refresh-devices").addEventListener("click", function () { listDevices(session.load()).catch(fail); });
  el("devices").addEventListener("click", function (ev) {
    var btn = ev.target.closest("button.unlink");
    if (btn) { unlink(session.load(), btn.dataset.key).catch(fail); }
  });
  el("signout").addEventListener("click", function () {
    var st = session.load();
    delete st.serviceToken;
    session.save(st);
    signedOut("signed-out", "Signed out on this phone.", "The profile keeps this phone in its list until a device unlinks it.");
  });

  (async function start() {
    var st = session.load();
    if (!st.serviceToken) {
      signedOut("signed-out", "Sign in to play the phone.", "Then make a link code and type it on a TV (a terminal running handoff tv).");
      return;
    }
    show("working", "Checking this phone's sign-in…");
    try {
      await refresh(st);
    } catch (err) {
      if (err.unlinked) { throw err; }
      signedOut("expired", "This phone's sign-in ended.", err.message);
      return;
    }
    signedIn(st, "This phone is signed in.");
    await listDevices(st);
  })().catch(fail);
})();
