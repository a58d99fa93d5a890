// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The sort menu applies itself (its Sort button is hidden when scripts run).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Long facet lists start short, with a button to show the rest.
  document.querySelectorAll(".facet").forEach(function (facet) {
    var hidden = facet.querySelectorAll("li.more").length;
    if (!hidden) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "show-more";
    button.setAttribute("aria-expanded", "false");
    button.textContent = "Show " + hidden + " more";
    button.addEventListener("click", function () {
      var open = facet.classList.toggle("open");
      button.setAttribute("aria-expanded", String(open));
      button.textContent = open ? "Show fewer" : "Show " + hidden + " more";
    });
    facet.appendChild(button);
  });

  // Copy buttons on citations.
  if (navigator.clipboard) {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var source = document.querySelector(button.getAttribute("data-copy"));
      if (!source) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.innerText.trim()).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy"; }, 1500);
        });
      });
    });
  }
})();
