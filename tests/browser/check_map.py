#!/usr/bin/python3
"""Checks a HyperPlume map page (src/viz/web_map.*) in headless Chromium with the network off.

Opens the page from a file:// URL and verifies what an analyst relies on: no console errors
(nor warnings, unless --allow-warnings), no network request at all, the layer control's
labels, overlays that appear and disappear with their checkboxes, a wind arrow that moves
when dragged, a marker placed by script and exported as GeoJSON, and the error banner.

Exit status 0 when every check passed, 1 otherwise (each failed check on its own line).

Needs Debian's chromium, chromium-driver and python3-selenium (Selenium 4.8).
"""
import argparse
import json
import math
import pathlib
import sys
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import WebDriverWait


class CheckFailed(Exception):
    """One check did not hold; the message says which and what was seen."""


# ---- browser -------------------------------------------------------------------------------

def start_browser(args):
    options = webdriver.ChromeOptions()
    options.binary_location = args.chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900",
                 # Belt and braces with the offline emulation below: a request that still
                 # got out would go to a closed port, never to the internet.
                 "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=args.chromedriver), options=options)
    driver.set_page_load_timeout(args.timeout)
    # Export saves through a download: into a directory of ours, without asking.
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": args.download_dir})
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    return driver


class Logs:
    """Console entries and network requests, collected as the checks go (reading empties them)."""

    def __init__(self, driver):
        self.driver = driver
        self.console = []
        self.requests = []

    def collect(self):
        self.console += self.driver.get_log("browser")
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                self.requests.append(message["params"]["request"]["url"])

    def problems(self, page_url, allow_warnings):
        self.collect()
        out = []
        bad_levels = {"SEVERE"} if allow_warnings else {"SEVERE", "WARNING"}
        for e in self.console:
            if e["level"] in bad_levels:
                out.append("console %s: %s" % (e["level"], e["message"]))
        for url in self.requests:
            # The page itself, its data: pictures and the export's blob: are not the network.
            if url != page_url and not url.startswith(("data:", "blob:")):
                out.append("network request: %s" % url)
        return out


def wait_for(driver, what, predicate, timeout):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: predicate())
    except TimeoutException:
        raise CheckFailed("timed out after %gs waiting for %s" % (timeout, what)) from None


# ---- the page ------------------------------------------------------------------------------

FIND_CHECKBOX = """
return Array.from(document.querySelectorAll('input[data-layer]'))
  .find((b) => b.dataset.layer === arguments[0]) || null;"""

OVERLAY_STATE = """
const img = Array.from(document.querySelectorAll('img.hp-overlay'))
  .find((i) => i.dataset.layer === arguments[0] && i.isConnected);
if (!img) return null;
const r = img.getBoundingClientRect();
return {complete: img.complete, naturalWidth: img.naturalWidth, width: r.width, height: r.height,
        visible: getComputedStyle(img).visibility !== 'hidden' && getComputedStyle(img).display !== 'none'};"""

# Relative to the map pane, which moves when the map pans: a marker that is not draggable
# would otherwise seem to move with the map dragged under it.
ICON_RECT = """
const r = arguments[0].getBoundingClientRect();
const pane = document.querySelector('.leaflet-map-pane').getBoundingClientRect();
return {x: r.left + r.width / 2 - pane.left, y: r.top + r.height / 2 - pane.top};"""


def layer_labels(driver):
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('input[data-layer]')).map((b) => b.dataset.layer);")


def checkbox(driver, label):
    box = driver.execute_script(FIND_CHECKBOX, label)
    if box is None:
        raise CheckFailed("no layer checkbox %r in the layer control" % label)
    return box


def overlay_shown(driver, label):
    s = driver.execute_script(OVERLAY_STATE, label)
    return bool(s and s["complete"] and s["naturalWidth"] > 0 and s["width"] > 0 and s["height"] > 0
                and s["visible"])


def overlay_absent(driver, label):
    return driver.execute_script(OVERLAY_STATE, label) is None


def set_checkbox(driver, label, on):
    box = checkbox(driver, label)
    if box.is_selected() != on:
        box.click()  # a real click: the change event the user would cause
    if box.is_selected() != on:
        raise CheckFailed("clicking %r did not turn it %s" % (label, "on" if on else "off"))


# ---- checks --------------------------------------------------------------------------------

def check_labels(driver, args):
    present = layer_labels(driver)
    expected = args.expect_group + args.expect_layer
    missing = [l for l in expected if l not in present]
    if missing:
        raise CheckFailed("the layer control lacks %s; it lists %s" % (missing, present))
    if expected:
        print("ok: the layer control lists %d expected labels" % len(args.expect_group + args.expect_layer))


def check_shown(driver, label, timeout):
    wait_for(driver, "overlay %r shown on open" % label, lambda: overlay_shown(driver, label), timeout)
    if not checkbox(driver, label).is_selected():
        raise CheckFailed("overlay %r is drawn but its checkbox is off" % label)
    print("ok: %r is shown on open" % label)


def check_toggle(driver, label, timeout):
    """Both directions, ending where the page started."""
    initially = checkbox(driver, label).is_selected()
    for on in (not initially, initially):
        set_checkbox(driver, label, on)
        if on:
            wait_for(driver, "overlay %r to appear (loaded, displayed)" % label,
                     lambda: overlay_shown(driver, label), timeout)
        else:
            wait_for(driver, "overlay %r to leave the page" % label,
                     lambda: overlay_absent(driver, label), timeout)
    print("ok: toggling %r shows and removes its overlay" % label)


def check_wind_drag(driver, timeout):
    winds = [l for l in layer_labels(driver) if l.endswith(" Wind")]
    if not winds:
        raise CheckFailed("no wind layer (\"<start_time> | <source> Wind\") in the layer control")
    set_checkbox(driver, winds[0], True)
    icon = wait_for(driver, "the wind arrow of %r" % winds[0],
                    lambda: driver.execute_script("return document.querySelector('.hp-wind');"), timeout)
    before = driver.execute_script(ICON_RECT, icon)
    # Leaflet starts a drag on the first move past its click tolerance and measures from
    # there, so that first small move does not count: the arrow should go (80, 50) px.
    ActionChains(driver).move_to_element(icon).click_and_hold().pause(0.2).move_by_offset(4, 0).pause(0.1) \
        .move_by_offset(40, 25).pause(0.1).move_by_offset(40, 25).pause(0.2).release().perform()
    after = driver.execute_script(ICON_RECT, icon)
    moved = math.hypot(after["x"] - before["x"], after["y"] - before["y"])
    if moved < 60:
        raise CheckFailed("dragging the wind arrow of %r moved it %.1f px (expected ~94)" % (winds[0], moved))
    print("ok: the wind arrow of %r moved %.0f px when dragged" % (winds[0], moved))


def check_marker_export(driver, lat, lon, out):
    points_before = driver.execute_script("return document.querySelectorAll('.hp-point').length;")
    index = driver.execute_script("return window.hyperplumeAddPoint(arguments[0], arguments[1]);", lat, lon)
    points_after = driver.execute_script("return document.querySelectorAll('.hp-point').length;")
    if points_after != points_before + 1:
        raise CheckFailed("hyperplumeAddPoint drew %d new points, expected 1" % (points_after - points_before))
    text = driver.execute_script("return window.hyperplumeExportGeoJSON();")
    try:
        collection = json.loads(text)
    except ValueError as e:
        raise CheckFailed("the export is not JSON: %s" % e) from None
    if collection.get("type") != "FeatureCollection" or not isinstance(collection.get("features"), list):
        raise CheckFailed("the export is not a GeoJSON FeatureCollection: %.200s" % text)
    features = collection["features"]
    if not isinstance(index, int) or not 0 <= index < len(features):
        raise CheckFailed("hyperplumeAddPoint returned %r for a file of %d features" % (index, len(features)))
    g = features[index].get("geometry") or {}
    c = g.get("coordinates") or [math.nan, math.nan]
    if g.get("type") != "Point" or abs(c[0] - lon) > 1e-6 or abs(c[1] - lat) > 1e-6:
        raise CheckFailed("feature %d of the export is %s, expected a Point at [%g, %g]" % (index, g, lon, lat))
    if out:
        pathlib.Path(out).write_text(text, encoding="utf-8")
    print("ok: the point at (%g, %g) is feature %d (plume%d) of the export%s"
          % (lat, lon, index, index, (", written to " + out) if out else ""))


def exported(driver):
    return json.loads(driver.execute_script("return window.hyperplumeExportGeoJSON();"))["features"]


def click_map_at(driver, dx, dy):
    """A click on the map dx, dy px from its centre; returns the [lon, lat] it lands on."""
    lonlat = driver.execute_script("""
const m = window.hyperplumeMap, s = m.getSize();
const ll = m.containerPointToLatLng([s.x / 2 + arguments[0], s.y / 2 + arguments[1]]);
return [ll.lng, ll.lat];""", dx, dy)
    ActionChains(driver).move_to_element_with_offset(
        driver.find_element("id", "hp-map"), dx, dy).click().perform()
    return lonlat


def tool(driver, name):
    driver.find_element("css selector", 'button[data-tool="%s"]' % name).click()


def near(a, b, tolerance):
    return all(abs(x - y) <= tolerance for x, y in zip(a, b))


def degrees_per_pixel(driver):
    return driver.execute_script("""
const m = window.hyperplumeMap, a = m.containerPointToLatLng([0, 0]), b = m.containerPointToLatLng([1, 1]);
return Math.max(Math.abs(a.lat - b.lat), Math.abs(a.lng - b.lng));""")


def check_tools(driver, download_dir, timeout):
    """The marker panel by mouse: add, drag, line, delete, accept a candidate, export a file.

    Leaves the marker set as it found it, but for an accepted candidate."""
    px = degrees_per_pixel(driver)
    n0 = len(exported(driver))
    tool(driver, "point")
    at = click_map_at(driver, -200, 150)
    f = exported(driver)
    if len(f) != n0 + 1 or f[-1]["geometry"]["type"] != "Point" or not near(f[-1]["geometry"]["coordinates"], at, 2 * px):
        raise CheckFailed("Add point + a map click did not add a Point at %s: %s" % (at, f[n0:]))
    if f[-1]["properties"].get("origin") != "analyst":
        raise CheckFailed("a hand-placed point has properties %s, expected origin \"analyst\"" % f[-1]["properties"])
    point = driver.find_elements("css selector", ".hp-point")[-1]
    ActionChains(driver).move_to_element(point).click_and_hold().pause(0.1).move_by_offset(4, 0) \
        .move_by_offset(30, 0).pause(0.2).release().perform()
    moved = exported(driver)[-1]["geometry"]["coordinates"]
    if abs(moved[0] - at[0]) < 20 * px:
        raise CheckFailed("dragging the new point did not move it in the export (%s -> %s)" % (at, moved))
    tool(driver, "line")
    a, b = click_map_at(driver, -120, 200), click_map_at(driver, -40, 160)
    tool(driver, "finish")
    f = exported(driver)
    if len(f) != n0 + 2 or f[-1]["geometry"]["type"] != "LineString" or len(f[-1]["geometry"]["coordinates"]) != 2 \
            or not near(f[-1]["geometry"]["coordinates"][0], a, 2 * px) or not near(f[-1]["geometry"]["coordinates"][1], b, 2 * px):
        raise CheckFailed("Add line + two clicks + Finish did not add a 2-vertex LineString: %s" % f[n0:])
    tool(driver, "delete")
    driver.find_elements("css selector", ".hp-point")[-1].click()
    f = exported(driver)
    if len(f) != n0 + 1 or f[-1]["geometry"]["type"] != "LineString":
        raise CheckFailed("Delete + a click on the new point did not remove it: %s" % f[n0:])
    # The line goes too: the checks after this one (--add-marker, --export) see the file as
    # it was, so the plume numbers they report are the page's own.
    driver.find_elements("css selector", "path.hp-line")[-1].click()
    f = exported(driver)
    if len(f) != n0:
        raise CheckFailed("Delete + a click on the new line did not remove it: %s" % f[n0:])
    tool(driver, "delete")  # off again
    accepted = check_accept(driver)
    check_download(driver, download_dir, timeout)
    print("ok: marker tools: point added, dragged and deleted, line drawn and deleted%s, Export downloaded the file, Load file read it back"
          % (", candidate accepted" if accepted else ""))


def check_accept(driver):
    """Accept the first automatic candidate, if the page has one: it becomes the analyst's."""
    candidates = driver.find_elements("css selector", ".hp-point.hp-auto")
    if not candidates:
        return False
    before = [x["properties"] for x in exported(driver)]
    index = next(i for i, p in enumerate(before) if p.get("origin") == "auto")
    candidates[0].click()
    driver.find_element("css selector", ".hp-candidate .hp-accept").click()
    after = exported(driver)[index]["properties"]
    if after.get("origin") != "analyst" or after.get("score") != before[index].get("score"):
        raise CheckFailed("Accept left the candidate's properties as %s (was %s)" % (after, before[index]))
    return True


def check_download(driver, download_dir, timeout):
    stem = driver.execute_script("return document.querySelector('.hp-status').textContent.split('.geojson')[0];")
    target = pathlib.Path(download_dir) / (stem + ".geojson")
    text = driver.execute_script("return window.hyperplumeExportGeoJSON();")
    tool(driver, "export")
    wait_for(driver, "the download %s" % target, lambda: target.is_file() and target.read_text(encoding="utf-8") == text, timeout)
    # And back through "Load file": the file read replaces the set, nothing lost or added.
    driver.execute_script("window.hyperplumeAddPoint(0, 0);")
    driver.find_element("css selector", "input.hp-file").send_keys(str(target))
    wait_for(driver, "Load file to read %s back" % target.name,
             lambda: driver.execute_script("return window.hyperplumeExportGeoJSON();") == text, timeout)


def check_banner(driver, expected):
    banners = driver.find_elements("css selector", ".hp-error")
    shown = [b for b in banners if b.is_displayed() and b.text.strip()]
    if expected and not shown:
        raise CheckFailed("no error banner (.hp-error) is visible")
    if not expected and shown:
        raise CheckFailed("an unexpected error banner is visible: %s" % shown[0].text)
    if shown:
        print("ok: the error banner says: %s" % shown[0].text.replace("\n", " | "))
    else:
        print("ok: no error banner")


# ---- main ----------------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("page", help="the HTML map page")
    p.add_argument("--expect-group", action="append", default=[], metavar="LABEL",
                   help='a group checkbox, e.g. "2023-08-14T17:27:59Z group (EMIT)"')
    p.add_argument("--expect-layer", action="append", default=[], metavar="LABEL",
                   help='a sub-layer checkbox, e.g. "2023-08-14T17:27:59Z | ch4"')
    p.add_argument("--expect-shown", action="append", default=[], metavar="LABEL",
                   help="an overlay that must be drawn on open")
    p.add_argument("--toggle-layer", action="append", default=[], metavar="LABEL",
                   help="an overlay whose checkbox must show and remove its <img>")
    p.add_argument("--drag-wind", action="store_true", help="drag the first wind arrow; it must move")
    p.add_argument("--add-marker", nargs=2, type=float, metavar=("LAT", "LON"),
                   help="place a point with hyperplumeAddPoint and check the export holds it")
    p.add_argument("--export", metavar="OUT.geojson", help="write hyperplumeExportGeoJSON() here (with --add-marker)")
    p.add_argument("--check-tools", action="store_true",
                   help="use the marker panel by mouse: add, drag, delete, draw a line, accept a candidate, export")
    p.add_argument("--expect-error-banner", action="store_true",
                   help="the error banner must be visible (otherwise it must not be)")
    p.add_argument("--screenshot", metavar="PNG", help="save a screenshot after the checks")
    p.add_argument("--allow-warnings", action="store_true", help="console warnings do not fail the check")
    p.add_argument("--chromium", default="/usr/bin/chromium")
    p.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for each step")
    args = p.parse_args(argv)
    if args.export and not args.add_marker:
        p.error("--export needs --add-marker LAT LON")
    return args


def run_checks(driver, logs, args, page_url):
    failures = []

    def attempt(step, *a):
        try:
            step(*a)
        except (CheckFailed, WebDriverException) as e:
            failures.append(str(e).strip().splitlines()[0] if isinstance(e, WebDriverException) else str(e))

    driver.get(page_url)
    try:
        wait_for(driver, "the map (window.hyperplumeMap)",
                 lambda: driver.execute_script("return !!window.hyperplumeMap;"), args.timeout)
    except CheckFailed as e:
        return [str(e)] + logs.problems(page_url, args.allow_warnings)
    time.sleep(0.5)  # let the pictures decode and Leaflet settle before judging the console
    # The console and the network on open, before any action that may legitimately log.
    failures += ["on open: " + p for p in logs.problems(page_url, args.allow_warnings)]
    logs.console.clear()
    logs.requests.clear()
    if failures == []:
        print("ok: no console errors%s and no network requests on open" % ("" if args.allow_warnings else " or warnings"))

    attempt(check_labels, driver, args)
    for label in args.expect_shown:
        attempt(check_shown, driver, label, args.timeout)
    for label in args.toggle_layer:
        attempt(check_toggle, driver, label, args.timeout)
    if args.drag_wind:
        attempt(check_wind_drag, driver, args.timeout)
    if args.check_tools:
        attempt(check_tools, driver, args.download_dir, args.timeout)
    if args.add_marker:
        attempt(check_marker_export, driver, args.add_marker[0], args.add_marker[1], args.export)
    attempt(check_banner, driver, args.expect_error_banner)
    if args.screenshot:
        driver.save_screenshot(args.screenshot)
        print("wrote %s" % args.screenshot)
    failures += ["after the checks: " + p for p in logs.problems(page_url, args.allow_warnings)]
    return failures


def main(argv):
    args = parse_args(argv)
    page = pathlib.Path(args.page).resolve()
    if not page.is_file():
        print("check_map: FAIL: no such page: %s" % page, file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="check_map_") as downloads:
        args.download_dir = downloads
        try:
            driver = start_browser(args)
        except WebDriverException as e:
            print("check_map: FAIL: cannot start headless Chromium: %s" % str(e).strip(), file=sys.stderr)
            return 1
        try:
            failures = run_checks(driver, Logs(driver), args, page.as_uri())
        finally:
            driver.quit()
    for f in failures:
        print("check_map: FAIL: %s" % f, file=sys.stderr)
    if not failures:
        print("check_map: all checks passed for %s" % page)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
