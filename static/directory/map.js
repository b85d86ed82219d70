/*
 * Directory maps without any tile server: the AURA department outlines (static GeoJSON) and
 * markers read from a json_script element. The list or table next to the map stays the
 * primary result: without JavaScript the map container stays hidden.
 *
 * Markup: <figure data-op-map data-source="ID of the json_script element"
 *                 data-outlines="URL of a GeoJSON" [data-outlines-detail="URL, drawn zoomed in"]
 *                 [data-focus-department="69"] hidden>
 *           <div class="op-map__canvas"></div> …legend… </figure>
 * Data: {"markers": [{"lat", "lon", "label", "url"?, "rank"?, "kind"}], "origin": {"lat", "lon", "label"}?}
 * kinds: "offer" (a link to the offer page), "place" (a point, no link), "covered" /
 * "uncovered" (coverage view).
 *
 * CSP: no inline style or script; Leaflet positions elements through the CSSOM, which the
 * policy allows. Texts come from the page (already translated), never from this file.
 */
(function () {
  "use strict";

  var OUTLINE_STYLE = { color: "#3a3a3a", weight: 1, fillColor: "#e3e3fd", fillOpacity: 0.35 };
  var DETAIL_STYLE = { color: "#929292", weight: 0.6, dashArray: "3 3", fill: false };
  var DETAIL_ZOOM = 9;
  var FOCUS_STYLE = { color: "#000091", weight: 2, fillColor: "#cacafb", fillOpacity: 0.45 };

  function readData(id) {
    var element = id ? document.getElementById(id) : null;
    if (!element) {
      return { markers: [] };
    }
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return { markers: [] };
    }
  }

  function textElement(tag, className, text) {
    var element = document.createElement(tag);
    element.className = className;
    element.textContent = text;
    return element;
  }

  // A real link inside the marker: focusable with Tab, opened with Enter, read by screen
  // readers with its label (offer title and distance).
  function offerMarker(marker) {
    var link = textElement("a", "op-map-pin", marker.rank ? String(marker.rank) : "");
    link.href = marker.url;
    link.setAttribute("aria-label", marker.label);
    link.title = marker.label;
    var icon = L.divIcon({
      html: link,
      className: "op-map-pin-wrapper",
      iconSize: [28, 28],
      iconAnchor: [14, 14],
    });
    // keyboard: false because the link inside is the focusable element, not the wrapper.
    return L.marker([marker.lat, marker.lon], {
      icon: icon,
      keyboard: false,
      riseOnHover: true,
      // Above the search origin, which often sits on the nearest offer.
      zIndexOffset: 1000,
    });
  }

  // Covered communes are filled discs, uncovered ones hollow rings with a thicker border:
  // the shape differs, not only the colour (RGAA 3.2).
  function coverageMarker(marker) {
    var covered = marker.kind === "covered";
    var circle = L.circleMarker([marker.lat, marker.lon], {
      radius: covered ? 5 : 6,
      color: covered ? "#18753c" : "#ce0500",
      weight: covered ? 1 : 3,
      fillColor: covered ? "#18753c" : "#ffffff",
      fillOpacity: covered ? 0.8 : 0,
    });
    circle.bindTooltip(textElement("span", "", marker.label));
    return circle;
  }

  // A point that is not a link (the search origin, the offer on its own page).
  function staticMarker(point, className, size) {
    var pin = textElement("span", className, "");
    pin.setAttribute("role", "img");
    pin.setAttribute("aria-label", point.label);
    pin.title = point.label;
    var icon = L.divIcon({
      html: pin,
      className: "op-map-pin-wrapper",
      iconSize: [size, size],
      iconAnchor: [size / 2, size / 2],
    });
    return L.marker([point.lat, point.lon], { icon: icon, keyboard: false, interactive: false });
  }

  function drawOutlines(map, url, focusCode, fitToFocus) {
    if (!url || !window.fetch) {
      return;
    }
    window
      .fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (geojson) {
        if (!geojson) {
          return;
        }
        var focused = null;
        var layer = L.geoJSON(geojson, {
          interactive: false,
          style: function (feature) {
            var isFocus = focusCode && feature.properties && feature.properties.code === focusCode;
            return isFocus ? FOCUS_STYLE : OUTLINE_STYLE;
          },
          onEachFeature: function (feature, featureLayer) {
            if (focusCode && feature.properties && feature.properties.code === focusCode) {
              focused = featureLayer;
            }
          },
        }).addTo(map);
        layer.bringToBack();
        if (fitToFocus) {
          map.fitBounds((focused || layer).getBounds(), { padding: [8, 8] });
        }
      })
      .catch(function () {
        // Outlines are context only: markers and the list remain without them.
      });
  }

  function initMap(figure) {
    var canvas = figure.querySelector(".op-map__canvas") || figure;
    var data = readData(figure.getAttribute("data-source"));
    var markers = data.markers || [];
    figure.hidden = false;
    var map = L.map(canvas, {
      zoomSnap: 0.25,
      minZoom: 6,
      maxZoom: 15,
      // Scroll zoom traps the page's own scrolling for keyboard and trackpad users.
      scrollWheelZoom: false,
      attributionControl: true,
    });
    map.attributionControl.setPrefix(false);
    var attribution = figure.getAttribute("data-attribution");
    if (attribution) {
      map.attributionControl.addAttribution(attribution);
    }
    var points = [];
    markers.forEach(function (marker) {
      if (typeof marker.lat !== "number" || typeof marker.lon !== "number") {
        return;
      }
      var layer;
      if (marker.kind === "offer" && marker.url) {
        layer = offerMarker(marker);
      } else if (marker.kind === "covered" || marker.kind === "uncovered") {
        layer = coverageMarker(marker);
      } else {
        layer = staticMarker(marker, "op-map-pin", 28);
      }
      layer.addTo(map);
      points.push([marker.lat, marker.lon]);
    });
    if (data.origin && typeof data.origin.lat === "number") {
      staticMarker(data.origin, "op-map-origin", 22).addTo(map);
      points.push([data.origin.lat, data.origin.lon]);
    }
    var focusCode = figure.getAttribute("data-focus-department");
    var fitToOutlines = points.length === 0;
    if (!fitToOutlines) {
      if (points.length === 1) {
        map.setView(points[0], 9);
      } else {
        map.fitBounds(L.latLngBounds(points), { padding: [40, 40], maxZoom: 13 });
      }
    } else {
      // The whole region until the outlines arrive and say better.
      map.fitBounds([[44.1, 2.06], [46.81, 7.19]]);
    }
    drawOutlines(map, figure.getAttribute("data-outlines"), focusCode, fitToOutlines);
    drawDetailWhenZoomed(map, figure.getAttribute("data-outlines-detail"));
  }

  // Zoomed in, department borders are often off screen: the EPCI outlines (a heavier file)
  // are fetched once, the first time the map shows a small area, and drawn faintly.
  function drawDetailWhenZoomed(map, url) {
    if (!url || !window.fetch) {
      return;
    }
    var requested = false;
    function check() {
      if (requested || map.getZoom() < DETAIL_ZOOM) {
        return;
      }
      requested = true;
      window
        .fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (geojson) {
          if (geojson) {
            L.geoJSON(geojson, { interactive: false, style: DETAIL_STYLE }).addTo(map).bringToBack();
          }
        })
        .catch(function () {});
    }
    map.on("zoomend", check);
    check();
  }

  function init() {
    if (!window.L) {
      return;
    }
    var figures = document.querySelectorAll("[data-op-map]");
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
