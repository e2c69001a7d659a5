/* Guesses the member's time zone from the browser when the profile form's field is empty.
   Only an enhancement: without JavaScript the member picks it from the list. */
(function () {
  "use strict";
  var select = document.getElementById("id_time_zone");
  if (!select || select.value || !window.Intl || !Intl.DateTimeFormat) return;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === zone) { select.value = zone; return; }
  }
})();
