/*
 * Territory edit map: the communes of one department as discs; a click adds the commune's
 * INSEE code to the territory's commune list (the textarea) or removes it. The textarea stays
 * the form's input and the accessible way to edit; the map only writes into it. No tile
 * server: department outlines from static GeoJSON. Texts come from the page (translated).
 *
 * Markup: <figure data-op-territory-map data-textarea="ID" data-points-url="URL"
 *                 data-outlines="URL" data-status="ID" data-msg-added="… %s" data-msg-removed="… %s" hidden>
 *           <select data-department>…</select> <div class="op-map__canvas"></div> …
 */
(function () {
  "use strict";

  var CODE = /^(?:insee:)?(\d[\dAB]\d{3})$/i;
  var SELECTED = { radius: 6, color: "#000091", weight: 1, fillColor: "#000091", fillOpacity: 0.85 };
  var UNSELECTED = { radius: 5, color: "#3a3a3a", weight: 2, fillColor: "#ffffff", fillOpacity: 0 };

  function tokens(text) {
    return text.split(/[\s,;]+/).filter(function (token) {
      return token.length > 0;
    });
  }

  function selectedCodes(textarea) {
    var codes = {};
    tokens(textarea.value).forEach(function (token) {
      var match = CODE.exec(token);
      if (match) {
        codes[match[1].toUpperCase()] = true;
      }
    });
    return codes;
  }

  function toggle(textarea, code) {
    var kept = tokens(textarea.value).filter(function (token) {
      var match = CODE.exec(token);
      return !(match && match[1].toUpperCase() === code);
    });
    var removed = kept.length !== tokens(textarea.value).length;
    if (!removed) {
      kept.push(code);
    }
    textarea.value = kept.join("\n");
    return !removed;
  }

  function mostFrequentDepartment(codes, select) {
    var counts = {};
    var best = null;
    Object.keys(codes).forEach(function (code) {
      var department = code.slice(0, 2);
      counts[department] = (counts[department] || 0) + 1;
      if (!best || counts[department] > counts[best]) {
        best = department;
      }
    });
    if (best && select.querySelector('option[value="' + best + '"]')) {
      return best;
    }
    return select.value;
  }

  function init(figure) {
    var textarea = document.getElementById(figure.getAttribute("data-textarea"));
    var select = figure.querySelector("select[data-department]");
    var canvas = figure.querySelector(".op-map__canvas");
    var status = document.getElementById(figure.getAttribute("data-status"));
    if (!textarea || !select || !canvas || !window.fetch) {
      return;
    }
    figure.hidden = false;
    // Without a tile layer Leaflet has no maximum zoom: say it, or fitBounds zooms forever.
    var map = L.map(canvas, { scrollWheelZoom: false, zoomSnap: 0.25, minZoom: 6, maxZoom: 15 });
    map.attributionControl.setPrefix(false);
    map.fitBounds([[44.1, 2.06], [46.81, 7.19]]);
    var outlines = null;
    var markers = L.layerGroup().addTo(map);
    var byCode = {};

    window
      .fetch(figure.getAttribute("data-outlines"), { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (geojson) {
        if (!geojson) {
          return;
        }
        outlines = L.geoJSON(geojson, {
          interactive: false,
          style: { color: "#3a3a3a", weight: 1, fillColor: "#e3e3fd", fillOpacity: 0.3 },
        }).addTo(map);
        outlines.bringToBack();
      })
      .catch(function () {});

    function restyle() {
      var codes = selectedCodes(textarea);
      Object.keys(byCode).forEach(function (code) {
        byCode[code].setStyle(codes[code] ? SELECTED : UNSELECTED);
      });
    }

    function load(department) {
      markers.clearLayers();
      byCode = {};
      var url = figure.getAttribute("data-points-url") + "?departement=" + encodeURIComponent(department);
      window
        .fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { communes: [] };
        })
        .then(function (payload) {
          var points = [];
          (payload.communes || []).forEach(function (commune) {
            var marker = L.circleMarker(
              [commune.lat, commune.lon],
              L.extend({ className: "op-commune op-commune-" + commune.code }, UNSELECTED)
            );
            var label = document.createElement("span");
            label.textContent = commune.name + " (" + commune.code + ")";
            marker.bindTooltip(label);
            marker.on("click", function () {
              var added = toggle(textarea, commune.code);
              var template = figure.getAttribute(added ? "data-msg-added" : "data-msg-removed");
              if (status && template) {
                status.textContent = template.replace("%s", commune.name);
              }
              restyle();
            });
            marker.addTo(markers);
            byCode[commune.code] = marker;
            points.push([commune.lat, commune.lon]);
          });
          restyle();
          if (points.length) {
            map.fitBounds(L.latLngBounds(points), { padding: [16, 16], maxZoom: 12 });
          }
        })
        .catch(function () {});
    }

    select.value = mostFrequentDepartment(selectedCodes(textarea), select);
    select.addEventListener("change", function () {
      load(select.value);
    });
    textarea.addEventListener("input", restyle);
    load(select.value);
  }

  function start() {
    if (!window.L) {
      return;
    }
    var figures = document.querySelectorAll("[data-op-territory-map]");
    for (var i = 0; i < figures.length; i += 1) {
      init(figures[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
