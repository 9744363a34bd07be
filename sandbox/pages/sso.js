// Shared by the sandbox's browser pages (the link page and the phone page): the device
// key, X-Device-Info, the application's registration and access token (DCR), and the
// SSO calls made with them. Each page keeps what it holds (client credentials, device
// key, service token) in this origin's localStorage under its own key.
var handoffSSO = (function () {
  "use strict";

  // --- device key: Base64 of SHA-256 of a random UUID -------------------------------
  // crypto.subtle and crypto.randomUUID exist only in secure contexts (https, localhost).
  // A phone that scans the QR reaches the sandbox over plain http on the LAN, so both
  // have fallbacks built on crypto.getRandomValues, which every context has.
  function randomUUID() {
    if (window.isSecureContext && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  var K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);

  function ror(x, n) { return (x >>> n) | (x << (32 - n)); }

  // sha256 is FIPS 180-4 for the fallback path; the page's tests compare it with
  // crypto.subtle on the same input.
  function sha256(data) {
    var H = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
    var len = data.length, total = ((len + 9 + 63) >> 6) << 6;
    var m = new Uint8Array(total);
    m.set(data);
    m[len] = 0x80;
    var dv = new DataView(m.buffer);
    dv.setUint32(total - 8, Math.floor(len / 0x20000000));
    dv.setUint32(total - 4, (len << 3) >>> 0);
    var w = new Uint32Array(64), v = new Uint32Array(8);
    for (var off = 0; off < total; off += 64) {
      for (var i = 0; i < 16; i++) { w[i] = dv.getUint32(off + i * 4); }
      for (i = 16; i < 64; i++) {
        var s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        var s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
      }
      v.set(H);
      for (i = 0; i < 64; i++) {
        var e = v[4], a = v[0];
        var t1 = v[7] + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & v[5]) ^ (~e & v[6])) + K[i] + w[i];
        var t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]));
        v[7] = v[6]; v[6] = v[5]; v[5] = v[4]; v[4] = v[3] + t1;
        v[3] = v[2]; v[2] = v[1]; v[1] = v[0]; v[0] = t1 + t2;
      }
      for (i = 0; i < 8; i++) { H[i] += v[i]; }
    }
    var out = new Uint8Array(32), odv = new DataView(out.buffer);
    for (i = 0; i < 8; i++) { odv.setUint32(i * 4, H[i]); }
    return out;
  }

  function digest(bytes) {
    if (window.isSecureContext && crypto.subtle) {
      return crypto.subtle.digest("SHA-256", bytes).then(function (b) { return new Uint8Array(b); });
    }
    return Promise.resolve(sha256(bytes));
  }

  function base64(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i++) { s += String.fromCharCode(bytes[i]); }
    return btoa(s);
  }
  function base64Text(text) { return base64(new TextEncoder().encode(text)); }

  // --- X-Device-Info from what the browser says about itself --------------------------
  function deviceInfo(applicationId) {
    var ua = navigator.userAgent;
    var os = [
      ["Android", /Android ([\d.]+)/], ["iOS", /(?:iPhone|iPod).*? OS ([\d_]+)/], ["iPadOS", /iPad.*? OS ([\d_]+)/],
      ["Windows", /Windows NT ([\d.]+)/], ["macOS", /Mac OS X ([\d_.]+)/], ["ChromeOS", /CrOS \S+ ([\d.]+)/], ["Linux", /Linux/]
    ].find(function (o) { return o[1].test(ua); }) || ["Unknown", /$/];
    var ver = (ua.match(os[1]) || [])[1] || "";
    var browser = [["Edge", /Edg\/([\d.]+)/], ["Chrome", /(?:Headless)?Chrome\/([\d.]+)/], ["Firefox", /Firefox\/([\d.]+)/],
      ["Safari", /Version\/([\d.]+).*Safari/]].find(function (b) { return b[1].test(ua); });
    var type = /iPad|Tablet/.test(ua) ? "Tablet" : /Mobi|iPhone|Android/.test(ua) ? "MobilePhone" : "Desktop";
    var info = {
      primaryHardwareType: type,
      model: browser ? browser[0] + " " + ua.match(browser[1])[1].split(".")[0] : "Web browser",
      osName: os[0],
      osVersion: ver.replace(/_/g, "."),
      userAgent: ua,
      applicationId: applicationId,
      displayWidth: Math.round(screen.width * (window.devicePixelRatio || 1)),
      displayHeight: Math.round(screen.height * (window.devicePixelRatio || 1))
    };
    if (navigator.connection && navigator.connection.type) { info.connectionType = navigator.connection.type; }
    return base64Text(JSON.stringify(info));
  }

  // --- the application's registration and access token (DCR) ------------------------
  function errorOf(data) {
    if (!data || typeof data !== "object") { return {}; }
    if (data.error && typeof data.error === "object") { return data.error; }
    if (typeof data.error === "string") { return { code: data.error, message: data.error_description }; }
    return data;
  }

  async function call(method, path, headers, body) {
    var res = await fetch(path, { method: method, headers: headers, body: body, cache: "no-store", credentials: "same-origin" });
    var data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    return { status: res.status, data: data };
  }

  // session is one page's state: what it keeps under storeKey and the calls made with it.
  function session(storeKey, applicationId) {
    function load() {
      try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
    }
    function save(st) { localStorage.setItem(storeKey, JSON.stringify(st)); }

    async function deviceKey(st) {
      if (!st.deviceKey) {
        st.deviceKey = base64(await digest(new TextEncoder().encode(randomUUID())));
        save(st);
      }
      return st.deviceKey;
    }

    async function register(st) {
      var ss = await call("GET", "/sandbox/software-statement", { Accept: "application/json" });
      if (ss.status !== 200) {
        throw new Error("This sandbox does not hand out a software statement (open registration is off), so a browser cannot join it.");
      }
      var reg = await call("POST", "/o/client/register",
        { "Content-Type": "application/json", Accept: "application/json", "X-Device-Info": deviceInfo(applicationId) },
        JSON.stringify({ software_statement: ss.data.software_statement }));
      if (reg.status !== 201) { throw new Error("The sandbox refused to register this browser: " + (errorOf(reg.data).message || reg.status)); }
      st.clientId = reg.data.client_id;
      st.clientSecret = reg.data.client_secret;
      save(st);
    }

    async function accessToken(st, fresh) {
      if (!fresh && st.accessToken && st.accessTokenExpiry > Date.now() + 30000) { return st.accessToken; }
      for (var attempt = 0; attempt < 2; attempt++) {
        if (!st.clientId) { await register(st); }
        var form = new URLSearchParams({ client_id: st.clientId, client_secret: st.clientSecret, grant_type: "client_credentials" });
        var tok = await call("POST", "/o/client/token", { Accept: "application/json" }, form);
        if (tok.status === 201 || tok.status === 200) {
          st.accessToken = tok.data.access_token;
          st.accessTokenExpiry = Date.now() + tok.data.expires_in * 1000;
          save(st);
          return st.accessToken;
        }
        // A sandbox that restarted in memory forgot this browser: register again, once.
        delete st.clientId;
        delete st.clientSecret;
      }
      throw new Error("The sandbox refused this browser's client credentials.");
    }

    // sso calls an SSO endpoint with the access token, getting a new one once if the
    // sandbox says it is unknown or expired.
    async function sso(st, method, path, headers, body) {
      for (var attempt = 0; attempt < 2; attempt++) {
        var h = Object.assign({ Accept: "application/json", Authorization: "Bearer " + await accessToken(st, attempt > 0) }, headers);
        var res = await call(method, path, h, body);
        var err = errorOf(res.data);
        var accessRefused = res.status === 401 && (err.code === "unauthorized" || err.code === "invalid_access_token_client_application");
        if (!accessRefused || attempt > 0) { return res; }
      }
    }

    return {
      load: load, save: save, deviceKey: deviceKey, sso: sso,
      deviceInfo: function () { return deviceInfo(applicationId); }
    };
  }

  function claims(token) {
    try {
      var p = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(p), function (c) { return c.charCodeAt(0); })));
    } catch (e) { return {}; }
  }

  function normalize(code) { return code.replace(/[\s-]/g, ""); }

  // status drives a page's status box (#status, #status-title, #status-detail) and
  // the state its tests read (data-state on app).
  function status(app) {
    var el = function (id) { return document.getElementById(id); };
    return function (state, title, detail, good) {
      app.dataset.state = state;
      el("status-title").textContent = title;
      el("status-detail").textContent = detail || "";
      var box = el("status");
      box.classList.toggle("status-ok", good === true);
      box.classList.toggle("status-bad", good === false);
      box.setAttribute("role", good === false ? "alert" : "status");
    };
  }

  return { session: session, status: status, errorOf: errorOf, claims: claims, normalize: normalize, sha256: sha256, base64Text: base64Text };
})();
