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
