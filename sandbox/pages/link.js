// The browser link page: this browser registers as an application, keeps a device key,
// redeems the phone's link code and shows the profile it joined (sso.js does the
// calls). What it keeps lives in this origin's localStorage, so a reload re-checks the
// link instead of joining again.
(function () {
  "use strict";

  var app = document.getElementById("app");
  var sp = app.dataset.sp;
  var storeKey = "handoff.link." + sp;
  var el = function (id) { return document.getElementById(id); };

  var session = handoffSSO.session(storeKey, "handoff-link-page");
  var load = session.load, save = session.save, deviceKey = session.deviceKey, sso = session.sso;
  var deviceInfo = session.deviceInfo, errorOf = handoffSSO.errorOf, claims = handoffSSO.claims;
  var normalize = handoffSSO.normalize, show = handoffSSO.status(app);

  // --- the page's steps ------------------------------------------------------------------
  function showForm(prefill) {
    el("joined").hidden = true;
    el("join-form").hidden = false;
    el("code").value = prefill || "";
  }

  async function join(st, code) {
    code = normalize(code);
    if (!/^\d{6}$/.test(code)) {
      show("idle", "Type the six-digit code your phone shows.", "The code has six digits; spaces and dashes are fine.", false);
      showForm(code);
      el("code").focus();
      return;
    }
    show("working", "Joining the profile…");
    el("join").disabled = true;
    try {
      var key = await deviceKey(st);
      var res = await sso(st, "POST", "/api/" + encodeURIComponent(sp) + "/serviceToken", {
        "AP-Device-Identifier": "fingerprint " + key, "X-Device-Info": deviceInfo(), "X-SSO-LINK": code
      });
      if (res.status !== 201) {
        var e = errorOf(res.data);
        var why = e.code === "invalid_parameter_code" ? "The code is wrong, expired or already used: ask the phone for a new one."
          : e.code === "too_many_requests" ? "Too many wrong codes: wait a few minutes, then try again."
          : (e.message || "The sandbox answered " + res.status + ".");
        show("error", "This browser could not join.", why, false);
        showForm("");
        el("code").focus();
        return;
      }
      st.serviceToken = res.data.serviceToken;
      st.usedCode = code;
      st.unlinked = false;
      save(st);
      await profile(st, "joined", "This browser joined the profile.");
    } finally {
      el("join").disabled = false;
    }
  }

  // recheck renews the service token: that both proves the link still holds and keeps
  // the token from expiring while the page is open.
  async function recheck(st) {
    show("working", "Checking this browser's link…");
    var res = await sso(st, "GET", "/api/" + encodeURIComponent(sp) + "/serviceToken", {
      "AP-Device-Identifier": "fingerprint " + await deviceKey(st), "AD-Service-Token": st.serviceToken
    });
    if (res.status === 200) {
      st.serviceToken = res.data.serviceToken;
      save(st);
      await profile(st, "joined", "This browser is linked to the profile.");
      return;
    }
    var e = errorOf(res.data);
    delete st.serviceToken;
    if (e.code === "unauthorized") {
      st.unlinked = true;
      save(st);
      unlinked();
      return;
    }
    save(st);
    show("expired", "This browser's session ended.", "Ask the phone for a new link code to join again.", false);
    showForm("");
  }

  function unlinked() {
    show("unlinked", "This browser was unlinked.",
      "A device of the profile removed this browser. Ask the phone for a new link code to join again.", false);
    var code = normalize(app.dataset.code || "");
    showForm(code === load().usedCode ? "" : code);
  }

  async function profile(st, state, title) {
    var c = claims(st.serviceToken);
    el("profile-id").textContent = c.sub || "(unknown)";
    el("device-key").textContent = st.deviceKey;
    var res = await sso(st, "GET", "/api/v2/" + encodeURIComponent(sp) + "/profiles", {
      "AP-Device-Identifier": "fingerprint " + st.deviceKey, "AD-Service-Token": st.serviceToken
    });
    var provider = el("provider");
    provider.textContent = "";
    if (res.status !== 200) {
      provider.textContent = "Could not read it: " + (errorOf(res.data).message || "the sandbox answered " + res.status) + ".";
    } else {
      var names = Object.keys(res.data.profiles || {});
      if (names.length === 0) {
        provider.textContent = "None yet: sign in with a TV provider on the phone, then check again.";
      }
      names.forEach(function (mvpd) {
        var p = res.data.profiles[mvpd];
        var user = p.attributes && p.attributes.userID ? p.attributes.userID.value : "";
        var line = document.createElement("div");
        line.className = "provider";
        line.dataset.mvpd = mvpd;
        line.textContent = mvpd + (user ? " — user " + user : "") + (p.notAfter ? ", until " + new Date(p.notAfter).toLocaleString() : "");
        provider.appendChild(line);
      });
    }
    el("join-form").hidden = true;
    el("joined").hidden = false;
    show(state, title, "It now appears in the phone's device list.", true);
  }

  function fail(err) {
    show("error", "Something went wrong.", err && err.message ? err.message : "The sandbox could not be reached.", false);
    showForm(normalize(app.dataset.code || ""));
  }

  el("join-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    join(load(), el("code").value).catch(fail);
  });
  el("recheck").addEventListener("click", function () {
    var st = load();
    (st.serviceToken ? recheck(st) : Promise.resolve(unlinked())).catch(fail);
  });

  window.handoffLink = { sha256: handoffSSO.sha256 };

  (async function start() {
    var st = load();
    var code = normalize(app.dataset.code || "");
    if (st.serviceToken) { return recheck(st); }
    if (st.unlinked && (!code || code === st.usedCode)) { return unlinked(); }
    if (code) { return join(st, code); }
    show("idle", "Type the code your phone shows.", "On the phone, choose “link a device” to get a six-digit code.");
    showForm("");
    el("code").focus();
  })().catch(fail);
})();
