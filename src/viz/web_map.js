// HyperPlume's analyst map, built from window.HYPERPLUME_MAP (written by src/viz/web_map.cpp).
// Plain ES2017 on Leaflet alone: the page must open from a local file with no network, so
// nothing here fetches anything unless the user picks an online base layer. Leaflet's default
// marker icon is never used (its PNGs are not in the page): points are L.divIcon markers.
(function () {
  'use strict';

  const DATA = window.HYPERPLUME_MAP;
  const AUTO_MARKERS_NAME = 'hyperplume_detect';  // io::kAutoMarkersName
  const IMAGE_PANE = 'hp-images';

  // ---- small helpers ------------------------------------------------------------------

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach((k) => node.setAttribute(k, attrs[k]));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Leaflet puts string tooltip content in as HTML; file text must stay text.
  function textOf(text) { return el('span', {}, String(text)); }

  function round7(x) { return Math.round(x * 1e7) / 1e7; }  // ~1 cm: enough for a marker

  // A Leaflet control whose content is `node` (clicks and wheel stay inside it).
  function controlOf(node, position) {
    const Control = L.Control.extend({
      onAdd: function () {
        L.DomEvent.disableClickPropagation(node);
        L.DomEvent.disableScrollPropagation(node);
        return node;
      },
    });
    return new Control({ position: position });
  }

  // ---- map and its plain controls -----------------------------------------------------

  // Where to look: the overlays, else the swaths, else the source circles.
  function viewBounds() {
    const overlays = [], swaths = [], circles = [];
    DATA.scenes.forEach((s) => {
      s.overlays.forEach((o) => overlays.push(L.latLngBounds(o.bounds)));
      if (s.swath_outline.length) swaths.push(L.latLngBounds(s.swath_outline));
      const c = s.source_circle;
      if (c) circles.push(L.latLng(c.lat, c.lon).toBounds(4 * c.radius_m));
    });
    return overlays.length ? overlays : swaths.length ? swaths : circles;
  }

  // The mean of the parts' centres (HyperGas centres on the mean of the swath corners).
  function meanCentre(parts) {
    let lat = 0, lng = 0;
    parts.forEach((b) => { lat += b.getCenter().lat; lng += b.getCenter().lng; });
    return L.latLng(lat / parts.length, lng / parts.length);
  }

  function createMap() {
    const map = L.map('hp-map', { zoomControl: true, maxZoom: 22 });
    // Pictures below every outline, circle and line, whatever order they are switched on in
    // (Leaflet's overlay pane stacks them in the order they were added).
    map.createPane(IMAGE_PANE).style.zIndex = '350';
    const parts = viewBounds();
    if (!parts.length) {
      map.setView([0, 0], 2);
      return map;
    }
    const union = parts.reduce((a, b) => a.extend(b), L.latLngBounds(parts[0].getSouthWest(), parts[0].getNorthEast()));
    map.setView(meanCentre(parts), Math.min(map.getBoundsZoom(union), 18));
    return map;
  }

  function addMousePosition(map) {
    const box = el('div', { class: 'hp-mouse-position leaflet-control' }, '');
    controlOf(box, 'bottomright').addTo(map);
    map.on('mousemove', (e) => { box.textContent = e.latlng.lat.toFixed(5) + ', ' + e.latlng.lng.toFixed(5); });
    map.on('mouseout', () => { box.textContent = ''; });
  }

  // The Fullscreen API on the map's container; where it is refused (no user gesture, an
  // iframe without allowfullscreen) a CSS class fills the window instead.
  function addFullscreen(map) {
    const container = map.getContainer();
    const button = el('a', { class: 'hp-fullscreen', href: '#', title: 'Full screen', role: 'button' });
    // Drawn, not a glyph: the page cannot count on a font having one.
    button.innerHTML = '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">' +
      '<path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5" fill="none" stroke="#333" stroke-width="2"/></svg>';
    const bar = el('div', { class: 'leaflet-bar leaflet-control' });
    bar.appendChild(button);
    const toggleFallback = () => {
      container.classList.toggle('hp-fullscreen-fallback');
      map.invalidateSize();
    };
    L.DomEvent.on(button, 'click', (e) => {
      L.DomEvent.preventDefault(e);
      if (document.fullscreenElement) { document.exitFullscreen().catch(() => {}); return; }
      if (container.classList.contains('hp-fullscreen-fallback') || !container.requestFullscreen) {
        toggleFallback();
        return;
      }
      container.requestFullscreen().catch(toggleFallback);
    });
    document.addEventListener('fullscreenchange', () => map.invalidateSize());
    controlOf(bar, 'topleft').addTo(map);
  }

  // ---- base layers ---------------------------------------------------------------------

  // Online layers are created when first chosen, so an offline page requests nothing.
  const BASE_LAYERS = [
    { label: 'Scene RGB (offline)', make: () => L.layerGroup() },
    {
      label: 'Esri World Imagery',
      make: () => L.tileLayer('https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}', {
        maxZoom: 22, maxNativeZoom: 18,  // beyond its tiles' zoom: enlarged, not blank
        attribution: 'Tiles &copy; Esri &mdash; Source: Esri, Maxar, Earthstar Geographics, and the GIS User Community',
      }),
    },
    {
      label: 'OpenStreetMap',
      make: () => L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
        maxZoom: 22, maxNativeZoom: 19, attribution: '&copy; OpenStreetMap contributors',
      }),
    },
  ];

  function baseLayerSwitcher(map, status) {
    let current = null;
    const made = {};
    return (index) => {
      const spec = BASE_LAYERS[index];
      if (!made[index]) {
        made[index] = spec.make();
        // Offline the tiles fail: say so once instead of leaving a silent blank map.
        made[index].on('tileerror', () => status(spec.label + ': tiles cannot be loaded (offline?)'));
      }
      if (current) map.removeLayer(current);
      status('');
      current = made[index].addTo(map);
      if (current.bringToBack) current.bringToBack();
    };
  }

  // ---- the layer control ---------------------------------------------------------------

  // A checkbox row; `onChange(checked)` runs on user changes.
  function checkboxRow(label, checked, onChange) {
    const row = el('label', { class: 'hp-layer-row' });
    const box = el('input', { type: 'checkbox', 'data-layer': label });
    box.checked = checked;
    box.addEventListener('change', () => onChange(box.checked));
    row.appendChild(box);
    row.appendChild(el('span', {}, ' ' + label));
    return { row: row, box: box };
  }

  function layerPanel(map) {
    const panel = el('div', { class: 'hp-layers leaflet-control' });
    const handle = el('div', { class: 'hp-panel-title', title: 'Drag to move' }, 'Layers');
    panel.appendChild(handle);
    makeDraggable(panel, handle);
    const body = el('div', { class: 'hp-layers-body' });
    panel.appendChild(body);
    controlOf(panel, 'topleft').addTo(map);
    return body;
  }

  // Moves a control by its title bar (folium's draggable layer control).
  function makeDraggable(panel, handle) {
    let start = null, offset = { x: 0, y: 0 };
    handle.addEventListener('mousedown', (e) => {
      start = { x: e.clientX - offset.x, y: e.clientY - offset.y };
      e.preventDefault();
    });
    document.addEventListener('mousemove', (e) => {
      if (!start) return;
      offset = { x: e.clientX - start.x, y: e.clientY - start.y };
      panel.style.transform = 'translate(' + offset.x + 'px,' + offset.y + 'px)';
    });
    document.addEventListener('mouseup', () => { start = null; });
  }

  function addBaseLayerRadios(body, map) {
    const note = el('div', { class: 'hp-base-status' });
    const choose = baseLayerSwitcher(map, (text) => { note.textContent = text; });
    body.appendChild(el('div', { class: 'hp-section' }, 'Base layer'));
    BASE_LAYERS.forEach((spec, i) => {
      const row = el('label', { class: 'hp-layer-row' });
      const radio = el('input', { type: 'radio', name: 'hp-base', 'data-layer': spec.label });
      radio.checked = i === 0;
      radio.addEventListener('change', () => { if (radio.checked) choose(i); });
      row.appendChild(radio);
      row.appendChild(el('span', {}, ' ' + spec.label));
      body.appendChild(row);
    });
    body.appendChild(note);
    choose(0);
  }

  // A layer of a group: shown while its checkbox and its group's are both on. Turning a
  // sub-layer on turns its group on (otherwise the click would seem to do nothing).
  function addSubLayer(list, group, label, layer, shown) {
    const item = el('li');
    const check = checkboxRow(label, shown, (on) => {
      if (on) {
        group.layer.addLayer(layer);
        group.setOn(true);
      } else {
        group.layer.removeLayer(layer);
      }
    });
    if (shown) group.layer.addLayer(layer);
    item.appendChild(check.row);
    list.appendChild(item);
  }

  function addGroup(body, map, label) {
    const layer = L.layerGroup().addTo(map);
    const box = el('div', { class: 'hp-group' });
    const group = { layer: layer };
    const check = checkboxRow(label, true, (on) => group.setOn(on));
    group.setOn = (on) => {
      check.box.checked = on;
      if (on) map.addLayer(layer); else map.removeLayer(layer);
    };
    check.row.classList.add('hp-group-title');
    box.appendChild(check.row);
    group.list = el('ul', { class: 'hp-sublayers' });
    box.appendChild(group.list);
    body.appendChild(box);
    return group;
  }

  // ---- scene layers --------------------------------------------------------------------

  function overlayLayer(scene, overlay, label) {
    const image = L.imageOverlay(overlay.url, overlay.bounds, {
      opacity: overlay.opacity, className: 'hp-overlay', interactive: false, alt: label, pane: IMAGE_PANE,
    });
    // The <img> exists from the first add on; tests find it by these attributes.
    image.on('add', () => {
      const img = image.getElement();
      img.setAttribute('data-variable', overlay.variable);
      img.setAttribute('data-scene', scene.start_time);
      img.setAttribute('data-layer', label);
    });
    return image;
  }

  // Meteorological direction the wind comes from (degrees clockwise from north).
  function windFrom(u, v) { return (Math.atan2(-u, -v) * 180 / Math.PI + 360) % 360; }

  function windIcon(wind) {
    const speed = Math.hypot(wind.u, wind.v);
    const towards = windFrom(wind.u, wind.v) + 180;  // the arrow points where the wind blows
    const html =
      '<div class="hp-wind-arrow" style="transform: rotate(' + towards.toFixed(1) + 'deg)">' +
      '<svg width="40" height="40" viewBox="0 0 40 40" aria-hidden="true">' +
      '<path d="M20 3 L30 17 L23 17 L23 37 L17 37 L17 17 L10 17 Z"/></svg></div>' +
      '<div class="hp-wind-label">' + speed.toFixed(1) + ' m/s</div>';
    return L.divIcon({ className: 'hp-wind', html: html, iconSize: [64, 58], iconAnchor: [32, 20] });
  }

  function windMarker(map, wind, index) {
    // Side by side at the map centre, so the two sources do not hide each other.
    const centre = map.latLngToContainerPoint(map.getCenter());
    const at = map.containerPointToLatLng(centre.add([index * 70, 0]));
    const marker = L.marker(at, { draggable: true, icon: windIcon(wind), keyboard: false, title: wind.source + ' wind (scene mean)' });
    marker.on('add', () => {
      const node = marker.getElement();
      node.setAttribute('data-source', wind.source);
      node.classList.add('hp-wind-' + wind.source.toLowerCase().replace(/[^a-z0-9]+/g, '-'));
    });
    return marker;
  }

  function swathPolygon(scene) {
    return L.polygon(scene.swath_outline, { color: 'dodgerblue', weight: 2, fill: false })
      .bindTooltip(textOf(scene.start_time));
  }

  function sourceCircle(c) {
    return L.circle([c.lat, c.lon], { radius: c.radius_m, color: 'yellow', weight: 2, fill: false, interactive: false });
  }

  function addScene(body, map, scene, swaths) {
    const group = addGroup(body, map, scene.start_time + ' group (' + scene.sensor + ')');
    scene.overlays.forEach((o) => {
      const label = scene.start_time + ' | ' + o.variable;
      addSubLayer(group.list, group, label, overlayLayer(scene, o, label), o.shown);
    });
    // A wind the L2 could not give (null u or v) has no arrow rather than a wrong one.
    scene.winds.filter((w) => Number.isFinite(w.u) && Number.isFinite(w.v)).forEach((w, i) => {
      addSubLayer(group.list, group, scene.start_time + ' | ' + w.source + ' Wind', windMarker(map, w, i), false);
    });
    if (scene.source_circle) group.layer.addLayer(sourceCircle(scene.source_circle));
    if (scene.swath_outline.length >= 3) swaths.addLayer(swathPolygon(scene));
  }

  function addSceneLayers(map) {
    const body = layerPanel(map);
    addBaseLayerRadios(body, map);
    body.appendChild(el('div', { class: 'hp-section' }, 'Layers'));
    const swaths = L.featureGroup();
    const swathRow = checkboxRow('Swath polygons', true, (on) => {
      if (on) map.addLayer(swaths); else map.removeLayer(swaths);
    });
    body.appendChild(swathRow.row);
    DATA.scenes.forEach((scene) => addScene(body, map, scene, swaths));
    swaths.addTo(map);  // after the overlays: outlines drawn above the pictures
  }

  // ---- messages ------------------------------------------------------------------------

  function messageBoxes(map) {
    const container = map.getContainer();
    const banner = el('div', { class: 'hp-error', role: 'alert' });
    banner.hidden = true;
    container.appendChild(banner);
    L.DomEvent.disableClickPropagation(banner);
    const notes = [];
    DATA.scenes.forEach((s) => s.notes.forEach((n) => notes.push(s.l2_stem + ': ' + n)));
    if (notes.length) {
      const box = el('div', { class: 'hp-notes leaflet-control' });
      box.appendChild(el('div', { class: 'hp-panel-title' }, 'Notes'));
      const list = el('ul');
      notes.forEach((n) => list.appendChild(el('li', {}, n)));
      box.appendChild(list);
      controlOf(box, 'bottomleft').addTo(map);
    }
    return {
      error: (text) => {
        banner.appendChild(el('div', {}, text));
        banner.hidden = false;
      },
    };
  }

  // ---- marker files --------------------------------------------------------------------

  // What io::read_marker_file reads: a FeatureCollection, or a lone Feature or geometry as a
  // collection of one. Throws Error with the reason.
  function parseMarkerText(text) {
    let json;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new Error('not valid JSON (' + e.message + ')');
    }
    if (!json || typeof json !== 'object') throw new Error('not a GeoJSON object');
    if (json.type === 'FeatureCollection') {
      if (!Array.isArray(json.features)) throw new Error('a FeatureCollection without a "features" array');
      return { features: json.features, automatic: json.name === AUTO_MARKERS_NAME };
    }
    if (json.type === 'Feature') return { features: [json], automatic: false };
    if (typeof json.type === 'string' && json.coordinates) return { features: [{ type: 'Feature', properties: {}, geometry: json }], automatic: false };
    throw new Error('not a GeoJSON FeatureCollection');
  }

  // ---- the editable marker set of one L2 -----------------------------------------------

  // One feature of a marker file: its place in `items` is its plume number, as in the file.
  // kind: 'point' | 'line' | 'other' (kept as it was, so later plumes keep their numbers).
  class MarkerSet {
    constructor(map, stem, editable) {
      this.map = map;
      this.stem = stem;
      this.editable = editable;
      this.items = [];
      this.layer = L.featureGroup().addTo(map);
      this.nextId = 1;
      this.onClickItem = null;  // set by the tools: delete mode
      this.onChange = () => {};  // set by the tools: their status line
      this.loaded = false;
      this.unreadable = false;  // its file could not be read (the banner says why)
    }

    load(features, automatic) {
      features.forEach((f) => {
        const props = Object.assign({}, (f && f.properties) || {});
        if (automatic) props.origin = 'auto';
        if (typeof props.id === 'number') this.nextId = Math.max(this.nextId, props.id + 1);
        this.addFeature(f, props);
      });
      this.loaded = true;
    }

    // "Load file": the file read takes the place of what was there.
    replace(features, automatic) {
      this.items.slice().forEach((item) => this.remove(item));
      this.load(features, automatic);
    }

    addFeature(f, props) {
      const g = f && f.geometry;
      const ok = (p) => Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);
      if (g && g.type === 'Point' && ok(g.coordinates)) return this.addPoint(L.latLng(g.coordinates[1], g.coordinates[0]), props);
      if (g && g.type === 'LineString' && Array.isArray(g.coordinates) && g.coordinates.every(ok))
        return this.addLine(g.coordinates.map((p) => L.latLng(p[1], p[0])), props);
      return this.addItem({ kind: 'other', feature: f, props: props, layer: null });
    }

    newProps() { return { id: this.nextId++, origin: 'analyst' }; }

    addPoint(latlng, props) {
      const item = { kind: 'point', props: props || this.newProps() };
      item.layer = L.marker(latlng, { draggable: this.editable, icon: this.pointIcon(item), keyboard: false, autoPan: true });
      this.addItem(item);
      if (item.props.origin === 'auto') item.layer.bindPopup(() => this.candidatePopup(item));
      return item;
    }

    addLine(latlngs, props) {
      const item = { kind: 'line', props: props || this.newProps() };
      item.layer = L.polyline(latlngs, { color: '#ffe600', weight: 3, className: 'hp-line' });
      return this.addItem(item);
    }

    addItem(item) {
      this.items.push(item);
      if (item.layer) {
        item.layer.on('click', (e) => {
          if (this.onClickItem && this.onClickItem(item)) L.DomEvent.stop(e);
        });
        this.layer.addLayer(item.layer);
      }
      this.renumber();
      return item;
    }

    remove(item) {
      const at = this.items.indexOf(item);
      if (at < 0) return;
      this.items.splice(at, 1);
      if (item.layer) this.layer.removeLayer(item.layer);
      this.renumber();
    }

    pointIcon(item) {
      const auto = item.props.origin === 'auto';
      return L.divIcon({ className: 'hp-point' + (auto ? ' hp-auto' : ''), iconSize: [16, 16], iconAnchor: [8, 8], html: '' });
    }

    // Tooltips say which plume each marker becomes: the place in the file.
    renumber() {
      this.items.forEach((item, i) => {
        if (!item.layer) return;
        const score = item.props.score;
        const text = 'plume' + i + (item.props.origin === 'auto' ? ' candidate, score ' + score : '');
        if (item.layer.getTooltip()) item.layer.setTooltipContent(textOf(text)); else item.layer.bindTooltip(textOf(text));
      });
      this.onChange();
    }

    // An automatic candidate: its score, and Accept (the analyst's from now on) or Reject.
    candidatePopup(item) {
      const box = el('div', { class: 'hp-candidate' });
      box.appendChild(el('div', {}, 'score ' + item.props.score));
      if (item.props.origin !== 'auto') {
        box.appendChild(el('div', {}, 'accepted'));
        return box;
      }
      const accept = el('button', { type: 'button', class: 'hp-accept' }, 'Accept');
      const reject = el('button', { type: 'button', class: 'hp-reject' }, 'Reject');
      accept.addEventListener('click', () => this.accept(item));
      reject.addEventListener('click', () => this.remove(item));
      box.appendChild(accept);
      box.appendChild(reject);
      return box;
    }

    accept(item) {
      item.props.origin = 'analyst';  // keeps its score; the file is no longer the detector's
      item.layer.setIcon(this.pointIcon(item));
      item.layer.closePopup();
      this.renumber();
    }

    pendingCandidates() { return this.items.filter((i) => i.props.origin === 'auto').length; }

    featureOf(item) {
      if (item.kind === 'other') return item.feature;
      const geometry = item.kind === 'point'
        ? { type: 'Point', coordinates: lonLat(item.layer.getLatLng()) }
        : { type: 'LineString', coordinates: item.layer.getLatLngs().map(lonLat) };
      return { type: 'Feature', properties: item.props, geometry: geometry };
    }

    // The analyst's file: no "name" member, so l3 never takes it for the detector's.
    geojson() {
      const lines = this.items.map((item) => JSON.stringify(this.featureOf(item)));
      return '{"type": "FeatureCollection", "features": [\n' + lines.join(',\n') + '\n]}\n';
    }
  }

  function lonLat(ll) { return [round7(ll.lng), round7(ll.lat)]; }

  // ---- marker tools --------------------------------------------------------------------

  class MarkerTools {
    constructor(map, sets, messages) {
      this.map = map;
      this.sets = sets;
      this.messages = messages;
      this.target = sets[0];
      this.mode = 'none';
      this.draft = null;  // the line being drawn
      this.buttons = {};
      sets.forEach((s) => {
        s.onClickItem = (item) => this.clickItem(s, item);
        s.onChange = () => { if (s === this.target) this.showStatus(); };
      });
      map.on('click', (e) => this.clickMap(e.latlng));
      map.on('dblclick', () => { if (this.mode === 'line') this.finishLine(); });
      document.addEventListener('keydown', (e) => { if (e.key === 'Escape') this.setMode('none'); });
    }

    panel() {
      const box = el('div', { class: 'hp-tools leaflet-control' });
      box.appendChild(el('div', { class: 'hp-panel-title' }, 'Source markers'));
      if (this.sets.length > 1) box.appendChild(this.targetSelect());
      const row = el('div', { class: 'hp-tool-buttons' });
      this.button(row, 'point', 'Add point', () => this.setMode(this.mode === 'point' ? 'none' : 'point'));
      this.button(row, 'line', 'Add line', () => this.setMode(this.mode === 'line' ? 'none' : 'line'));
      this.button(row, 'finish', 'Finish', () => this.finishLine()).hidden = true;
      this.button(row, 'delete', 'Delete', () => this.setMode(this.mode === 'delete' ? 'none' : 'delete'));
      this.button(row, 'load', 'Load file', () => this.fileInput.click());
      this.button(row, 'export', 'Export', () => this.download());
      box.appendChild(row);
      this.fileInput = el('input', { type: 'file', accept: '.geojson,.json', class: 'hp-file' });
      this.fileInput.hidden = true;
      this.fileInput.addEventListener('change', () => this.loadChosenFile());
      box.appendChild(this.fileInput);
      this.status = el('div', { class: 'hp-status' });
      box.appendChild(this.status);
      controlOf(box, 'topright').addTo(this.map);
      this.showStatus();
      return box;
    }

    button(row, mode, text, action) {
      const b = el('button', { type: 'button', 'data-tool': mode }, text);
      b.addEventListener('click', action);
      row.appendChild(b);
      this.buttons[mode] = b;
      return b;
    }

    targetSelect() {
      const select = el('select', { class: 'hp-target', title: 'The L2 whose marker file is edited' });
      this.sets.forEach((s, i) => select.appendChild(el('option', { value: String(i) }, s.stem)));
      select.addEventListener('change', () => {
        this.setMode('none');
        this.target = this.sets[Number(select.value)];
        this.target.ensureLoaded();
        this.showStatus();
      });
      return select;
    }

    setMode(mode) {
      if (this.mode === 'line' && mode !== 'line') this.finishLine();
      this.mode = mode;
      ['point', 'line', 'delete'].forEach((m) => this.buttons[m].classList.toggle('hp-active', m === mode));
      this.buttons.finish.hidden = mode !== 'line';
      // A double click ends a line: it must not zoom meanwhile.
      if (mode === 'line') this.map.doubleClickZoom.disable(); else this.map.doubleClickZoom.enable();
      this.map.getContainer().classList.toggle('hp-drawing', mode !== 'none');
      this.showStatus();
    }

    clickMap(latlng) {
      if (this.mode === 'point') {
        this.target.addPoint(latlng);
        this.setMode('none');
      } else if (this.mode === 'line') {
        if (!this.draft) this.draft = L.polyline([], { color: '#ffe600', weight: 3, dashArray: '6 6', interactive: false }).addTo(this.map);
        this.draft.addLatLng(latlng);
      }
      this.showStatus();
    }

    finishLine() {
      if (!this.draft) return;
      const points = this.draft.getLatLngs();
      this.map.removeLayer(this.draft);
      this.draft = null;
      // The double click that ends the line also delivered two clicks on the same spot.
      const distinct = points.filter((p, i) => i === 0 || !p.equals(points[i - 1]));
      if (distinct.length >= 2) this.target.addLine(distinct);
      if (this.mode === 'line') this.setMode('none');
      this.showStatus();
    }

    clickItem(set, item) {
      if (this.mode !== 'delete') return false;
      set.remove(item);
      this.showStatus();
      return true;
    }

    showStatus(extra) {
      const t = this.target;
      const count = t.items.length, pending = t.pendingCandidates();
      let text = t.stem + '.geojson: ' + count + ' feature' + (count === 1 ? '' : 's');
      if (pending) text += ', ' + pending + ' candidate' + (pending === 1 ? '' : 's') + ' not reviewed (exported as "auto")';
      if (t.unreadable) text += ' (its file could not be read: an export starts a new one)';
      if (this.mode === 'point') text += ' - click the map to place a point';
      if (this.mode === 'line') text += ' - click to add vertices, double-click or Finish to end';
      if (this.mode === 'delete') text += ' - click a marker or line to delete it';
      if (extra) text += ' - ' + extra;
      if (this.status) this.status.textContent = text;
    }

    loadChosenFile() {
      const file = this.fileInput.files[0];
      if (!file) return;
      const reader = new FileReader();
      reader.onload = () => {
        try {
          const parsed = parseMarkerText(String(reader.result));
          this.target.replace(parsed.features, parsed.automatic);
          this.target.unreadable = false;
          this.showStatus('loaded ' + file.name);
        } catch (e) {
          this.messages.error(file.name + ': ' + e.message + ' \u2014 nothing was loaded');
        }
        this.fileInput.value = '';
      };
      reader.readAsText(file);
    }

    download() {
      const blob = new Blob([this.target.geojson()], { type: 'application/geo+json' });
      const a = el('a', { href: URL.createObjectURL(blob), download: this.target.stem + '.geojson' });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    }
  }

  // ---- markers of the page's scenes ----------------------------------------------------

  // A scene's marker file text, parsed once; a file that cannot be read is reported in the
  // banner (the page never writes it: only Export does, and only when asked).
  function sceneMarkers(scene, messages) {
    const name = scene.l2_stem + '.geojson: ';
    if (scene.markers_error) {
      messages.error(name + scene.markers_error + ' \u2014 the file was not changed');
      return null;
    }
    if (!scene.markers_geojson) return { features: [], automatic: false };
    try {
      return parseMarkerText(scene.markers_geojson);
    } catch (e) {
      messages.error(name + e.message + ' \u2014 the file was not changed');
      return null;
    }
  }

  function markerSets(map, messages) {
    return DATA.scenes.map((scene, i) => {
      const set = new MarkerSet(map, scene.l2_stem, DATA.marker_tools);
      const parsed = sceneMarkers(scene, messages);
      set.unreadable = !parsed;
      set.ensureLoaded = () => { if (!set.loaded && parsed) set.load(parsed.features, parsed.automatic); };
      // Drawn on open with --plot-markers; with the tools, the file being edited (the first
      // L2's; another L2's is loaded when chosen) so an export never drops what was there.
      if (DATA.show_markers || (DATA.marker_tools && i === 0)) set.ensureLoaded();
      return set;
    });
  }

  // ---- the page ------------------------------------------------------------------------

  function main() {
    const map = createMap();
    L.control.scale({ imperial: false }).addTo(map);
    addMousePosition(map);
    addFullscreen(map);
    const messages = messageBoxes(map);
    let tools = null;
    addSceneLayers(map);
    const sets = markerSets(map, messages);
    if (DATA.marker_tools && sets.length) {
      tools = new MarkerTools(map, sets, messages);
      tools.panel();
    }
    const target = () => (tools ? tools.target : sets[0]);
    window.hyperplumeMap = map;
    // For scripts and tests: the same text Export writes, and a point placed as a click would.
    window.hyperplumeExportGeoJSON = () => (target() ? target().geojson() : '');
    window.hyperplumeAddPoint = (lat, lon) => {
      const set = target();
      if (!set) throw new Error('this page has no scene to place markers on');
      set.addPoint(L.latLng(lat, lon));
      return set.items.length - 1;  // its plume number
    };
  }

  main();
})();
