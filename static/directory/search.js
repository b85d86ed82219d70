/*
 * Search form enhancements; the form works without them.
 * - "Autour de moi": asks the browser for the position (only when the person allows it), fills
 *   the hidden lat/lon inputs and submits. Messages come from data-* attributes (translated).
 * - Commune suggestions: fills a <datalist> from the public commune suggestion endpoint.
 */
(function () {
  "use strict";

  function setStatus(element, text) {
    if (element) {
      element.textContent = text || "";
    }
  }

  function initAroundMe(button) {
    if (!navigator.geolocation) {
      return;
    }
    var form = button.form;
    var status = document.getElementById(button.getAttribute("data-status"));
    var lat = form.querySelector("input[name=lat]");
    var lon = form.querySelector("input[name=lon]");
    var place = form.querySelector("input[name=lieu]");
    button.hidden = false;
    button.addEventListener("click", function () {
      setStatus(status, button.getAttribute("data-msg-pending"));
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          lat.value = position.coords.latitude.toFixed(5);
          lon.value = position.coords.longitude.toFixed(5);
          if (place) {
            place.value = "";
          }
          form.submit();
        },
        function (error) {
          button.disabled = false;
          var denied = error && error.code === 1;
          setStatus(
            status,
            button.getAttribute(denied ? "data-msg-denied" : "data-msg-unavailable")
          );
        },
        { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 }
      );
    });
    // Typing a place means the person no longer wants their position.
    if (place) {
      place.addEventListener("input", function () {
        lat.value = "";
        lon.value = "";
      });
    }
  }

  function initSuggestions(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-suggest-url");
    if (!list || !url || !window.fetch) {
      return;
    }
    var timer = null;
    var lastQuery = "";
    input.addEventListener("input", function () {
      var query = input.value.trim();
      window.clearTimeout(timer);
      if (query.length < 2 || query === lastQuery) {
        return;
      }
      timer = window.setTimeout(function () {
        lastQuery = query;
        window
          .fetch(url + "?q=" + encodeURIComponent(query), {
            credentials: "same-origin",
            headers: { Accept: "application/json" },
          })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (payload) {
            while (list.firstChild) {
              list.removeChild(list.firstChild);
            }
            (payload.results || []).forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.value;
              option.textContent = item.label;
              list.appendChild(option);
            });
          })
          .catch(function () {
            // Suggestions are a convenience: the typed text is resolved by the server anyway.
          });
      }, 250);
    });
  }

  function init() {
    var buttons = document.querySelectorAll("[data-around-me]");
    for (var i = 0; i < buttons.length; i += 1) {
      initAroundMe(buttons[i]);
    }
    var inputs = document.querySelectorAll("input[data-suggest-url]");
    for (var j = 0; j < inputs.length; j += 1) {
      initSuggestions(inputs[j]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
