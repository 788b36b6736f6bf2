// Live completeness indicator for the report form (the form works without it:
// the "check completeness" button asks the server instead).
(function () {
  var form = document.getElementById("report-form");
  var list = document.getElementById("completeness");
  if (!form || !list) return;
  function filled(name) {
    var fields = form.querySelectorAll('input[data-element="' + name + '"], textarea[data-element="' + name + '"]');
    for (var i = 0; i < fields.length; i++) { if (fields[i].value.trim() !== "") return true; }
    return false;
  }
  function update() {
    var items = list.querySelectorAll("li[data-element]");
    for (var i = 0; i < items.length; i++) {
      var present = filled(items[i].getAttribute("data-element"));
      items[i].classList.toggle("present", present);
      items[i].firstElementChild.textContent = present ? "✓" : "○";
    }
  }
  form.addEventListener("input", update);
  update();
})();

// Identity fields only for confidential and open reports: under "Anonim" the fieldset is
// hidden and disabled, so nothing typed there is sent (without JavaScript the server
// refuses identity sent with "Anonim" and says so).
(function () {
  var form = document.getElementById("report-form");
  var identity = document.getElementById("identity-fields");
  if (!form || !identity) return;
  function update() {
    var chosen = form.querySelector('input[name="identity_mode"]:checked');
    var anonymous = !chosen || chosen.value === "anonymous";
    identity.disabled = anonymous;
    identity.hidden = anonymous;
  }
  var modes = form.querySelectorAll('input[name="identity_mode"]');
  for (var i = 0; i < modes.length; i++) modes[i].addEventListener("change", update);
  update();
})();

// After a refused submission, focus goes to the list of problems (screen readers read it).
(function () {
  var summary = document.getElementById("errors");
  if (summary) summary.focus();
})();
