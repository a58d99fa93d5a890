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

  // The selection: kept in localStorage with scripts (any length), in a cookie without them.
  // The add/remove forms work without this code; with it they change localStorage in place.
  var KEY = "archive-selection";
  function readCookie() {
    var match = document.cookie.match(/(?:^|; )selection=([^;]*)/);
    return match ? decodeURIComponent(match[1]).split(",").filter(Boolean) : [];
  }
  function load() {
    var ids = [];
    try { ids = JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { ids = []; }
    var fromCookie = readCookie();  // chosen before scripts ran: moved into localStorage
    if (fromCookie.length) {
      fromCookie.forEach(function (id) { if (ids.indexOf(id) < 0) { ids.push(id); } });
      save(ids);
      document.cookie = "selection=; path=/; max-age=0; samesite=lax";
    }
    return ids;
  }
  function save(ids) {
    try { localStorage.setItem(KEY, JSON.stringify(ids)); } catch (e) { /* private mode */ }
  }
  var selection = load();
  var link = document.getElementById("selection-link");
  function showCount() {
    if (link) { link.textContent = "Selection" + (selection.length ? " (" + selection.length + ")" : ""); }
  }
  function postIds(ids, mine) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = "/selection";
    [["ids", ids.join(",")], ["mine", mine ? "1" : "0"]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = pair[0]; input.value = pair[1];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }
  function setButton(form, chosen) {
    form.setAttribute("action", chosen ? "/selection/remove" : "/selection/add");
    form.querySelector("button").textContent = chosen ? "Remove from selection" : "Add to selection";
  }
  document.querySelectorAll("form.select-doc").forEach(function (form) {
    var id = form.getAttribute("data-doc");
    setButton(form, selection.indexOf(id) >= 0);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var at = selection.indexOf(id);
      if (at >= 0) { selection.splice(at, 1); } else { selection.push(id); }
      save(selection);
      setButton(form, at < 0);
      showCount();
      if (form.closest(".selection-list")) { postIds(selection, true); }  // list, links, exports anew
    });
  });
  showCount();

  var page = document.getElementById("selection-page");
  if (page) {
    var shown = page.getAttribute("data-ids");
    var fragment = location.hash.match(/^#ids=(.+)$/);
    if (fragment) {  // a shared selection too long for a query: post it to be read
      postIds(decodeURIComponent(fragment[1]).split(",").filter(Boolean), false);
    } else if (page.getAttribute("data-mine") === "1") {
      var mine = selection.slice().sort().join(",");
      if (mine !== shown.split(",").filter(Boolean).sort().join(",")) {
        postIds(selection, true);  // show what this browser holds
      } else if (location.pathname + location.search !== "/selection") {
        history.replaceState(null, "", "/selection");  // a reload shows this browser's selection again
      }
    }
    var adopt = page.querySelector("form.adopt");
    if (adopt) {
      adopt.addEventListener("submit", function (event) {
        event.preventDefault();
        shown.split(",").filter(Boolean).forEach(function (id) {
          if (selection.indexOf(id) < 0) { selection.push(id); }
        });
        save(selection);
        location.href = "/selection";
      });
    }
  }
})();
