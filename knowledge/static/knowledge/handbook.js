/* The print view: a button that opens the browser's print dialogue. Without JavaScript the page
   says to use the browser's Print command; the button only appears when it can work. */
(function () {
  "use strict";
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    if (typeof window.print !== "function") return;
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
