// Passkeys (WebAuthn): « Ajouter une clé d'accès » in « Mon compte » and « Utiliser une clé
// d'accès » on the code step of sign-in (blueprints/auth/views_passkeys.py). Each box
// [data-passkey] names the URL of its options and the URL its answer goes to; the server's
// JSON carries binary values as base64url, which the browser wants as ArrayBuffers.
// Without support (no window.PublicKeyCredential) the button stays hidden and the sentence
// [data-passkey-unsupported] stays: the code form of the page is the way on.
(function () {
  "use strict";

  // ------------------------------------------------------------ base64url <-> bytes
  function toBuffer(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) { base64 += "="; }
    var binary = window.atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i += 1) { bytes[i] = binary.charCodeAt(i); }
    return bytes.buffer;
  }

  function toText(buffer) {
    if (!buffer) { return null; }
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i += 1) { binary += String.fromCharCode(bytes[i]); }
    return window.btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withBuffers(list) {
    return (list || []).map(function (item) {
      var copy = Object.assign({}, item);
      copy.id = toBuffer(item.id);
      return copy;
    });
  }

  // ------------------------------------------------------------ the two ceremonies
  function creationOptions(options) {
    options.challenge = toBuffer(options.challenge);
    options.user.id = toBuffer(options.user.id);
    options.excludeCredentials = withBuffers(options.excludeCredentials);
    return { publicKey: options };
  }

  function requestOptions(options) {
    options.challenge = toBuffer(options.challenge);
    options.allowCredentials = withBuffers(options.allowCredentials);
    return { publicKey: options };
  }

  // What the server reads of a credential: the fields common to both ceremonies, and the
  // response's own (attestation when adding a key, assertion when signing in).
  function described(credential, response) {
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: response,
    };
  }

  function created(credential) {
    var response = credential.response;
    return described(credential, {
      clientDataJSON: toText(response.clientDataJSON),
      attestationObject: toText(response.attestationObject),
      transports: response.getTransports ? response.getTransports() : [],
    });
  }

  function asserted(credential) {
    var response = credential.response;
    return described(credential, {
      clientDataJSON: toText(response.clientDataJSON),
      authenticatorData: toText(response.authenticatorData),
      signature: toText(response.signature),
      userHandle: toText(response.userHandle),
    });
  }

  // ------------------------------------------------------------ talking to the server
  function post(box, url, body) {
    return window.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": box.getAttribute("data-csrf"),
      },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          throw new Error(data.error || "La clé d'accès n'a pas pu être utilisée : réessayez.");
        }
        return data;
      });
    });
  }

  function say(box, text) {
    var message = box.querySelector("[data-passkey-message]");
    message.textContent = text;
    message.classList.toggle("form-alert", Boolean(text));
  }

  function browserRefusal(error) {
    if (error && error.name === "NotAllowedError") {
      return "Opération annulée ou délai dépassé : réessayez.";
    }
    if (error && error.name === "InvalidStateError") {
      return "Cette clé d'accès est déjà enregistrée.";
    }
    return error && error.message ? error.message : "La clé d'accès n'a pas pu être utilisée.";
  }

  function run(box, button) {
    var adding = box.getAttribute("data-passkey") === "add";
    button.disabled = true;
    say(box, "");
    post(box, box.getAttribute("data-options-url"))
      .then(function (options) {
        return adding
          ? navigator.credentials.create(creationOptions(options))
          : navigator.credentials.get(requestOptions(options));
      })
      .then(function (credential) {
        var body = { credential: adding ? created(credential) : asserted(credential) };
        if (!adding) {
          var remember = document.querySelector("input[name=remember]");
          body.remember = Boolean(remember && remember.checked);
        }
        return post(box, box.getAttribute("data-url"), body);
      })
      .then(function (data) {
        if (data.redirect) { window.location.assign(data.redirect); }
      })
      .catch(function (error) {
        say(box, browserRefusal(error));
        button.disabled = false;
      });
  }

  // ------------------------------------------------------------ each page
  function onPage() {
    var supported = typeof window.PublicKeyCredential !== "undefined" &&
      Boolean(navigator.credentials);
    document.querySelectorAll("[data-passkey]").forEach(function (box) {
      box.querySelector("[data-passkey-start]").hidden = !supported;
      box.querySelector("[data-passkey-unsupported]").hidden = supported;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-passkey-start]");
    var box = button && button.closest("[data-passkey]");
    if (box) {
      event.preventDefault();
      run(box, button);
    }
  });
  document.addEventListener("htmx:afterSettle", onPage);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }
})();
