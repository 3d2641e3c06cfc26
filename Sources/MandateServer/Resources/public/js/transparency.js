// Checks a published fact in the visitor's own browser, trusting nothing the server computed:
// it fetches the signed checkpoint and the inclusion proof, hashes the fact's bytes (RFC 6962),
// walks the proof up to a root, compares it with the root the checkpoint signs, and verifies
// the checkpoint's Ed25519 signature with the key in the form. No framework, no inline script.
(function () {
  "use strict";

  var panel = document.getElementById("browser-check");
  var button = document.getElementById("check-browser");
  if (!panel || !button) return;
  var msg = panel.dataset;
  var verdict = document.getElementById("browser-verdict");
  var signatureLine = document.getElementById("browser-signature");
  var stepsList = document.getElementById("browser-steps");
  var encoder = new TextEncoder();

  button.hidden = false;
  button.addEventListener("click", function () {
    run().catch(function (error) {
      finish("error", msg.failed + " " + (error && error.message ? error.message : String(error)));
    });
  });

  function show(state, text) {
    panel.hidden = false;
    verdict.textContent = text;
    verdict.className = state === "verified" ? "ok" : state === "running" ? "" : "error";
    panel.setAttribute("data-verdict", state);
  }

  function finish(state, text) {
    show(state, text);
    button.disabled = false;
  }

  // One line of the walk: text parts, and hashes shown as code (an array holds one hash).
  function step() {
    var item = document.createElement("li");
    for (var i = 0; i < arguments.length; i++) {
      var part = arguments[i];
      if (Array.isArray(part)) {
        var code = document.createElement("code");
        code.className = "hash";
        code.textContent = part[0];
        item.appendChild(code);
      } else {
        item.appendChild(document.createTextNode(part));
      }
    }
    stepsList.appendChild(item);
  }

  // ---- bytes ----------------------------------------------------------------

  function fromBase64(text) {
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function toBase64(bytes) {
    var binary = "";
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary);
  }

  function concat() {
    var length = 0;
    for (var i = 0; i < arguments.length; i++) length += arguments[i].length;
    var out = new Uint8Array(length);
    var offset = 0;
    for (var j = 0; j < arguments.length; j++) {
      out.set(arguments[j], offset);
      offset += arguments[j].length;
    }
    return out;
  }

  function equal(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  async function sha256(bytes) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  }

  // RFC 6962: a leaf is SHA-256(0x00 ‖ data), a node SHA-256(0x01 ‖ left ‖ right).
  function leafHash(data) {
    return sha256(concat(new Uint8Array([0]), data));
  }

  function nodeHash(left, right) {
    return sha256(concat(new Uint8Array([1]), left, right));
  }

  // ---- the signed note --------------------------------------------------------

  // A C2SP signed note: the text, a blank line, then lines "— <name> <base64(key id ‖ signature)>".
  function parseNote(note) {
    var split = note.lastIndexOf("\n\n");
    if (split < 0) throw new Error("the checkpoint is not a signed note");
    var text = note.slice(0, split + 1);
    var lines = text.split("\n");
    if (lines.length < 4) throw new Error("the checkpoint has too few lines");
    var signatures = note.slice(split + 2).split("\n").filter(function (line) {
      return line.length > 0;
    }).map(function (line) {
      var match = /^\u2014 (\S+) (\S+)$/.exec(line);
      if (!match) throw new Error("malformed signature line");
      return { name: match[1], bytes: fromBase64(match[2]) };
    });
    if (!/^[1-9][0-9]*$|^0$/.test(lines[1])) throw new Error("malformed tree size in the checkpoint");
    return { text: text, origin: lines[0], size: BigInt(lines[1]), root: fromBase64(lines[2]), signatures: signatures };
  }

  // "<name>+<8 hex key id>+<base64(0x01 ‖ 32-byte Ed25519 key)>".
  async function parseKey(encoded) {
    var first = encoded.indexOf("+");
    var second = encoded.indexOf("+", first + 1);
    if (first <= 0 || second < 0) throw new Error(msg.keyBad);
    var name = encoded.slice(0, first);
    var id = encoded.slice(first + 1, second);
    var key = fromBase64(encoded.slice(second + 1));
    if (!/^[0-9a-f]{8}$/.test(id) || key.length !== 33 || key[0] !== 1) throw new Error(msg.keyBad);
    var digest = await sha256(concat(encoder.encode(name + "\n"), key));
    var computed = Array.from(digest.slice(0, 4), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
    if (computed !== id) throw new Error(msg.keyBad);
    return { name: name, id: digest.slice(0, 4), publicKey: key.slice(1) };
  }

  // "ok", "bad" or "unsupported" (a browser without Ed25519 in Web Crypto).
  async function verifySignature(note, key) {
    var signature = null;
    note.signatures.forEach(function (candidate) {
      if (!signature && candidate.name === key.name && equal(candidate.bytes.slice(0, 4), key.id)) {
        signature = candidate.bytes.slice(4);
      }
    });
    if (!signature) return "bad";
    var imported;
    try {
      imported = await crypto.subtle.importKey("raw", key.publicKey, { name: "Ed25519" }, false, ["verify"]);
    } catch (error) {
      // Browsers without Ed25519 in Web Crypto refuse the algorithm itself.
      return error && error.name === "NotSupportedError" ? "unsupported" : "bad";
    }
    var valid = await crypto.subtle.verify({ name: "Ed25519" }, imported, signature, encoder.encode(note.text));
    return valid ? "ok" : "bad";
  }

  // ---- the server's data --------------------------------------------------------

  async function fetchOK(path) {
    var response = await fetch(path, { headers: { Accept: "application/json, text/plain" }, cache: "no-store" });
    if (!response.ok) {
      var detail = response.status + " " + response.statusText;
      try {
        var problem = await response.json();
        if (problem && problem.detail) detail = problem.detail;
      } catch (ignored) {
        // Not a problem document: the status says enough.
      }
      throw new Error(path.split("?")[0] + ": " + detail);
    }
    return response;
  }

  // The checkpoint and a proof for the same tree size (the log may grow between the two reads).
  async function checkpointAndProof(key) {
    for (var attempt = 0; ; attempt++) {
      var note = parseNote(await (await fetchOK("/log/checkpoint")).text());
      var proof = await (await fetchOK("/api/v1/log/proof/inclusion?key=" + encodeURIComponent(key))).json();
      if (BigInt(proof.treeSize) === note.size || attempt >= 4) return { note: note, proof: proof };
      await new Promise(function (resolve) {
        setTimeout(resolve, 300);
      });
    }
  }

  // ---- the check --------------------------------------------------------------------

  async function run() {
    stepsList.textContent = "";
    signatureLine.textContent = "";
    if (!window.crypto || !crypto.subtle || !window.isSecureContext) {
      finish("unavailable", msg.noCrypto);
      return;
    }
    button.disabled = true;
    show("running", msg.running);
    var factField = document.getElementById("check-fact");
    var key = document.getElementById("check-key").value.trim();
    var factText = factField.value.trim();
    if (!key && factText) {
      try {
        key = JSON.parse(factText).key || "";
      } catch (ignored) {
        key = "";
      }
    }
    if (!key) {
      finish("error", msg.keyMissing);
      return;
    }
    var verifierKey = await parseKey(document.getElementById("check-verifier").value.trim());
    var fetched = await checkpointAndProof(key);
    var note = fetched.note;
    var proof = fetched.proof;
    if (!factText) {
      factText = proof.fact;
      factField.value = factText;
    }

    var signature = await verifySignature(note, verifierKey);
    signatureLine.className = signature === "ok" ? "ok" : signature === "bad" ? "error" : "notice";
    signatureLine.textContent =
      signature === "ok" ? msg.signatureOk : signature === "bad" ? msg.signatureBad : msg.noEd25519;

    var hash = await leafHash(encoder.encode(factText));
    var index = BigInt(proof.leafIndex);
    var size = BigInt(proof.treeSize);
    step(msg.leaf + " " + index + " / " + size + ": SHA-256(0x00 ‖ " + msg.theFact + ") = ", [toBase64(hash)]);

    // RFC 9162 section 2.1.3.2, step by step.
    var fn = index;
    var sn = size - 1n;
    var ok = index < size && size === note.size;
    for (var i = 0; i < proof.proof.length && ok; i++) {
      if (sn === 0n) {
        ok = false;
        break;
      }
      var sibling = fromBase64(proof.proof[i]);
      var left = (fn & 1n) === 1n || fn === sn;
      if (left) {
        hash = await nodeHash(sibling, hash);
        if ((fn & 1n) === 0n) {
          while ((fn & 1n) === 0n && fn !== 0n) {
            fn >>= 1n;
            sn >>= 1n;
          }
        }
      } else {
        hash = await nodeHash(hash, sibling);
      }
      var label = msg.step + " " + (i + 1) + ": SHA-256(0x01 ‖ ";
      if (left) {
        step(label, [proof.proof[i]], " ‖ " + msg.runningHash + ") = ", [toBase64(hash)]);
      } else {
        step(label + msg.runningHash + " ‖ ", [proof.proof[i]], ") = ", [toBase64(hash)]);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    ok = ok && sn === 0n;
    step(msg.computed + ": ", [toBase64(hash)]);
    step(msg.signed + ": ", [toBase64(note.root)]);

    if (ok && equal(hash, note.root) && signature !== "bad") {
      finish("verified", msg.verified);
    } else {
      finish("not-verified", msg.notVerified + " " + (signature === "bad" ? msg.signatureBad : msg.rootMismatch));
    }
  }
})();
