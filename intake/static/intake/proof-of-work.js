// Solves the form's proof-of-work challenge (ALTCHA's SHA-256 scheme, see
// intake/proof_of_work.py) in the background while the reporter writes, and puts the
// solution in the hidden "proof" field. Our own few lines instead of ALTCHA's widget:
// no bundle to download on slow mobile data, no inline script (CSP), nothing shown.
// Without this script (or WebCrypto) the form still works: its form token counts
// after a short wait, which the page states.
(function () {
  var forms = document.querySelectorAll("form[data-challenge]");
  if (!forms.length || !window.crypto || !window.crypto.subtle || !window.TextEncoder) return;
  var encoder = new TextEncoder();

  function hex(buffer) {
    var bytes = new Uint8Array(buffer), out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }

  // Hashes run in batches: each digest is a promise, and batching spares a round trip per number.
  function solve(challenge) {
    var batch = 200;
    function from(start) {
      var pending = [];
      for (var n = start; n < start + batch && n <= challenge.maxNumber; n++) {
        pending.push(crypto.subtle.digest("SHA-256", encoder.encode(challenge.salt + n)));
      }
      if (!pending.length) return Promise.resolve(null);
      return Promise.all(pending).then(function (digests) {
        for (var i = 0; i < digests.length; i++) {
          if (hex(digests[i]) === challenge.challenge) return start + i;
        }
        return from(start + batch);
      });
    }
    return from(0);
  }

  Array.prototype.forEach.call(forms, function (form) {
    var field = form.querySelector('input[name="proof"]');
    if (!field) return;
    var challenge = JSON.parse(form.getAttribute("data-challenge"));
    var started = performance.now();
    var solved = solve(challenge).then(function (number) {
      if (number === null) return;
      field.value = btoa(JSON.stringify({
        algorithm: challenge.algorithm, challenge: challenge.challenge, number: number,
        salt: challenge.salt, signature: challenge.signature
      }));
      form.setAttribute("data-solved-ms", String(Math.round(performance.now() - started)));
    });
    // Sent before the work is done: wait for it, then send (buttons that only
    // check the form, with formnovalidate and name="check", go at once).
    form.addEventListener("submit", function (event) {
      var by = event.submitter;
      if (field.value || (by && by.name === "check")) return;
      event.preventDefault();
      solved.then(function () {
        if (by && by.name) {
          var pressed = document.createElement("input");
          pressed.type = "hidden"; pressed.name = by.name; pressed.value = by.value;
          form.appendChild(pressed);
        }
        form.submit();
      });
    });
  });
})();
