/*
 * The dashboard's choropleth (issue 6 §3): department outlines (static GeoJSON, no tile
 * server) filled by the class computed on the server (evaluation/dashboard.py). The table
 * next to the map is the primary view: without JavaScript the figure stays hidden.
 *
 * Markup: <figure data-op-choropleth data-source="ID of the json_script element"
 *                 data-outlines="URL of the departments GeoJSON" [data-focus-department="69"]
 *                 hidden> <div class="op-map__canvas"></div> …legend… </figure>
 * Data: {"areas": {"69": {"class": 1…4 or null, "url": "?department=69…", "label": "Rhône (69) : …"}}}
 *
 * Classes differ by shade and by the class number written on each department; "non
 * calculable" is hatched (dashed outline, no fill), not only lighter (RGAA 3.2). Texts come
 * from the page (already translated), never from this file. CSP: no inline style or script.
 */
(function () {
  "use strict";

  var FILLS = { 1: "#e3e3fd", 2: "#a1a1f8", 3: "#6a6af4", 4: "#000091" };
  var NONE_STYLE = { color: "#3a3a3a", weight: 1.5, dashArray: "4 4", fillOpacity: 0 };
  var FOCUS_WEIGHT = 4;

  function readData(id) {
    var element = id ? document.getElementById(id) : null;
    if (!element) {
      return { areas: {} };
    }
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return { areas: {} };
    }
  }

  function styleFor(area, focused) {
    var style;
    if (!area || !area["class"]) {
      style = Object.assign({}, NONE_STYLE);
    } else {
      style = { color: "#3a3a3a", weight: 1, fillColor: FILLS[area["class"]], fillOpacity: 0.85 };
    }
    if (focused) {
      style.weight = FOCUS_WEIGHT;
      style.color = "#ce0500";
    }
    return style;
  }

  function initMap(figure) {
    var canvas = figure.querySelector(".op-map__canvas") || figure;
    var areas = readData(figure.getAttribute("data-source")).areas || {};
    var focusCode = figure.getAttribute("data-focus-department");
    var url = figure.getAttribute("data-outlines");
    if (!url || !window.fetch) {
      return;
    }
    figure.hidden = false;
    var map = L.map(canvas, {
      zoomSnap: 0.25,
      minZoom: 6,
      maxZoom: 11,
      scrollWheelZoom: false,
      attributionControl: true,
    });
    map.attributionControl.setPrefix(false);
    var attribution = figure.getAttribute("data-attribution");
    if (attribution) {
      map.attributionControl.addAttribution(attribution);
    }
    map.fitBounds([[44.1, 2.06], [46.81, 7.19]]);
    window
      .fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (geojson) {
        if (!geojson) {
          return;
        }
        var layer = L.geoJSON(geojson, {
          style: function (feature) {
            var code = feature.properties && feature.properties.code;
            var style = styleFor(areas[code], code === focusCode);
            // A stable hook per department (tests, print styles).
            style.className = "op-choro-area op-choro-area--" + code;
            return style;
          },
          onEachFeature: function (feature, featureLayer) {
            var area = areas[feature.properties && feature.properties.code];
            if (!area) {
              return;
            }
            var label = document.createElement("span");
            label.textContent = area["class"] ? String(area["class"]) : "–";
            label.title = area.label;
            featureLayer.bindTooltip(label, {
              permanent: true,
              direction: "center",
              className: "op-choro-label",
            });
            // Mouse users drill down from the map; keyboard users follow the table's links.
            featureLayer.on("click", function () {
              window.location.search = area.url.replace(/^\?/, "");
            });
          },
        }).addTo(map);
        map.fitBounds(layer.getBounds(), { padding: [8, 8] });
      })
      .catch(function () {
        // The map only illustrates the table, which is complete without it.
      });
  }

  function init() {
    if (!window.L) {
      return;
    }
    var figures = document.querySelectorAll("[data-op-choropleth]");
    for (var i = 0; i < figures.length; i += 1) {
      initMap(figures[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
