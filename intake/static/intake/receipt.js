// Print button for the receipt page (a downloadable PDF works without JavaScript).
(function () {
  var button = document.getElementById("print-receipt");
  if (!button) return;
  button.classList.remove("js-only");
  button.addEventListener("click", function () { window.print(); });
})();
