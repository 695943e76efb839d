// The per-plume figure (spec l2_l3 §7.4) drawn with cairo. Everything is laid out in points
// (1/72 in) on a surface scaled to 300 dpi, as matplotlib does, so line widths and font sizes
// read like the matplotlib figure HyperGas publishes. The map panel is a plate carrée axes
// (one degree of longitude as long as one of latitude on the page, like cartopy's
// PlateCarree) whose raster is resampled per device pixel from the UTM grid.
#include <cairo.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <hyperplume/core/error.hpp>
#include <hyperplume/viz/color_scale.hpp>
#include <hyperplume/viz/plume_figure.hpp>
#include <limits>
#include <memory>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

namespace hyperplume::viz {
namespace {

constexpr double kDpi = 300.0;
constexpr double kPx = kDpi / 72.0;  // device pixels per point
constexpr const char* kFont = "DejaVu Sans";
constexpr double kMinPadDeg = 0.005;

using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
using Context = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;

struct Color {
  double r = 0, g = 0, b = 0, a = 1;
};
constexpr Color kBlack{0, 0, 0, 1};
constexpr Color kWhite{1, 1, 1, 1};
constexpr Color kYellow{1, 1, 0, 1};
constexpr Color kDarkOrange{1.0, 140.0 / 255.0, 0, 1};               // #ff8c00
constexpr Color kLineBlue{31.0 / 255, 119.0 / 255, 180.0 / 255, 1};  // matplotlib C0
constexpr std::uint32_t kNoDataGrey = 0xdcdcdc;  // basemap where the scene has no RGB

void set_color(cairo_t* cr, const Color& c) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a); }

struct Rect {
  double x = 0, y = 0, w = 0, h = 0;  // points, y down
  double right() const { return x + w; }
  double bottom() const { return y + h; }
  double cx() const { return x + w / 2; }
};

// Data -> page mapping of one panel (x to the right, y up), like a matplotlib Axes.
struct Axes {
  Rect box;
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  double px(double x) const { return box.x + (x - x0) / (x1 - x0) * box.w; }
  double py(double y) const { return box.y + (y1 - y) / (y1 - y0) * box.h; }
};

// ---------------------------------------------------------------------------------- text

enum class HAlign { left, centre, right };
enum class VAlign { top, middle, baseline };

struct Font {
  double size = 8;  // points
  bool bold = false;
};

void select_font(cairo_t* cr, const Font& f) {
  cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL,
                         f.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, f.size);
}

double text_width(cairo_t* cr, const std::string& s, const Font& f) {
  select_font(cr, f);
  cairo_text_extents_t e;
  cairo_text_extents(cr, s.c_str(), &e);
  return e.x_advance;
}

// Moves to where `s` starts so that it sits at (x, y) with the given alignment; the cap
// height (0.73 em in DejaVu Sans) stands for the text's height, as for digits and capitals.
void move_to_text(cairo_t* cr, double x, double y, const std::string& s, const Font& f, HAlign h,
                  VAlign v) {
  const double w = text_width(cr, s, f);
  const double cap = 0.73 * f.size;
  const double left = h == HAlign::left ? x : h == HAlign::centre ? x - w / 2 : x - w;
  const double base = v == VAlign::baseline ? y : v == VAlign::top ? y + cap : y + cap / 2;
  cairo_move_to(cr, left, base);
}

void draw_text(cairo_t* cr, double x, double y, const std::string& s, const Font& f, HAlign h,
               VAlign v, const Color& c = kBlack) {
  move_to_text(cr, x, y, s, f, h, v);
  set_color(cr, c);
  cairo_show_text(cr, s.c_str());
}

// White text with a dark rim, readable on any basemap.
void draw_halo_text(cairo_t* cr, double x, double y, const std::string& s, const Font& f, HAlign h,
                    VAlign v) {
  move_to_text(cr, x, y, s, f, h, v);
  cairo_text_path(cr, s.c_str());
  cairo_set_source_rgba(cr, 0, 0, 0, 0.7);
  cairo_set_line_width(cr, 1.2);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke_preserve(cr);
  set_color(cr, kWhite);
  cairo_fill(cr);
}

// Like '%.*f'.
std::string fixed(double v, int decimals) {
  if (std::abs(v) < 0.5 * std::pow(10.0, -decimals)) v = 0;  // no "-0.0"
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// "CH4" -> "CH₄": capitals, and digits as Unicode subscripts (U+2080..U+2089).
std::string gas_label(const std::string& gas) {
  std::string out;
  for (const char ch : gas) {
    if (ch >= '0' && ch <= '9') {
      out += "\xE2\x82";
      out += static_cast<char>(0x80 + (ch - '0'));
    } else {
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
  }
  return out;
}

std::string units_label(const std::string& units) {
  if (units == "umol m-2") return "\xC2\xB5mol m\xE2\x81\xBB\xC2\xB2";  // µmol m⁻²
  return units;
}

// "Q t/h ± p%" from kg/h; n/a where the estimate is missing.
std::string rate_text(double emission_kg_h, double sigma_kg_h, int decimals) {
  if (!std::isfinite(emission_kg_h)) return "n/a";
  std::string s = fixed(emission_kg_h / 1000.0, decimals) + " t/h";
  if (std::isfinite(sigma_kg_h) && emission_kg_h != 0)
    s += " \xC2\xB1 " + fixed(std::abs(sigma_kg_h / emission_kg_h) * 100.0, decimals) + "%";
  return s;
}

// ---------------------------------------------------------------------------------- ticks

struct Ticks {
  std::vector<double> values;
  double step = 1;
  int decimals = 0;
};

// Ticks at 1, 2, 2.5 or 5 x 10^k inside [lo, hi], about `target` of them (matplotlib's
// MaxNLocator in spirit).
Ticks nice_ticks(double lo, double hi, int target, bool integer = false) {
  Ticks t;
  const double range = hi - lo;
  if (!(range > 0) || !std::isfinite(range)) return t;
  const double raw = range / std::max(1, target);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * mag;
  for (const double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  if (integer) step = std::max(1.0, std::round(step));
  t.step = step;
  const double eps = step * 1e-9;
  for (double k = std::ceil((lo - eps) / step); k * step <= hi + eps; k += 1)
    t.values.push_back(k * step);
  t.decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  if (std::abs(std::round(step / std::pow(10.0, -t.decimals)) * std::pow(10.0, -t.decimals) -
               step) > eps)
    ++t.decimals;
  return t;
}

std::string degrees_label(double v, int decimals, bool longitude) {
  const std::string hemi = longitude ? (v < 0   ? "W"
                                        : v > 0 ? "E"
                                                : "")
                                     : (v < 0   ? "S"
                                        : v > 0 ? "N"
                                                : "");
  return fixed(std::abs(v), decimals) + "\xC2\xB0" + hemi;
}

// Keeps every k-th tick so that labels of the given width do not touch.
Ticks thin_out(Ticks t, double spacing_pt, double label_pt) {
  std::size_t every = 1;
  while (every < t.values.size() && spacing_pt * static_cast<double>(every) < label_pt + 6) ++every;
  if (every == 1) return t;
  std::vector<double> kept;
  for (std::size_t i = 0; i < t.values.size(); i += every) kept.push_back(t.values[i]);
  t.values = kept;
  return t;
}

constexpr double kTickLength = 3.5;
constexpr Font kTickFont{8, false};
constexpr Font kLabelFont{9.5, false};
constexpr Font kPanelTitleFont{11, false};
constexpr Font kSuptitleFont{12, true};

void draw_frame(cairo_t* cr, const Rect& r) {
  cairo_rectangle(cr, r.x, r.y, r.w, r.h);
  set_color(cr, kBlack);
  cairo_set_line_width(cr, 0.8);
  cairo_stroke(cr);
}

void draw_x_ticks(cairo_t* cr, const Axes& ax, const Ticks& ticks,
                  const std::vector<std::string>& labels) {
  cairo_set_line_width(cr, 0.8);
  for (std::size_t i = 0; i < ticks.values.size(); ++i) {
    const double x = ax.px(ticks.values[i]);
    cairo_move_to(cr, x, ax.box.bottom());
    cairo_line_to(cr, x, ax.box.bottom() + kTickLength);
    set_color(cr, kBlack);
    cairo_stroke(cr);
    draw_text(cr, x, ax.box.bottom() + kTickLength + 2, labels[i], kTickFont, HAlign::centre,
              VAlign::top);
  }
}

void draw_y_ticks(cairo_t* cr, const Axes& ax, const Ticks& ticks,
                  const std::vector<std::string>& labels) {
  cairo_set_line_width(cr, 0.8);
  for (std::size_t i = 0; i < ticks.values.size(); ++i) {
    const double y = ax.py(ticks.values[i]);
    cairo_move_to(cr, ax.box.x, y);
    cairo_line_to(cr, ax.box.x - kTickLength, y);
    set_color(cr, kBlack);
    cairo_stroke(cr);
    draw_text(cr, ax.box.x - kTickLength - 2, y, labels[i], kTickFont, HAlign::right,
              VAlign::middle);
  }
}

// ---------------------------------------------------------------------------------- data

struct LonLatBox {
  double lon_min = 0, lon_max = 0, lat_min = 0, lat_max = 0;
};

// The lon/lat bounds of the field's finite pixel centres. Along a grid row longitude and
// latitude are monotonic, so the first and last finite pixel of each row are the extremes.
std::optional<LonLatBox> plume_bounds(const PlumeFigure& f) {
  std::optional<LonLatBox> box;
  const auto& v = f.field;
  for (Eigen::Index r = 0; r < v.rows(); ++r) {
    Eigen::Index first = -1, last = -1;
    for (Eigen::Index c = 0; c < v.cols(); ++c)
      if (std::isfinite(v(r, c))) {
        if (first < 0) first = c;
        last = c;
      }
    if (first < 0) continue;
    for (const Eigen::Index c : {first, last}) {
      double lon = 0, lat = 0;
      f.projection.inverse(f.grid.x0 + static_cast<double>(c) * f.grid.dx,
                           f.grid.y0 + static_cast<double>(r) * f.grid.dy, lon, lat);
      if (!box) box = LonLatBox{lon, lon, lat, lat};
      box->lon_min = std::min(box->lon_min, lon);
      box->lon_max = std::max(box->lon_max, lon);
      box->lat_min = std::min(box->lat_min, lat);
      box->lat_max = std::max(box->lat_max, lat);
    }
  }
  return box;
}

double half_extent_deg(const PlumeFigure& f, const LonLatBox& bounds) {
  if (f.pad_deg > 0) return f.pad_deg;
  return std::max({bounds.lon_max - bounds.lon_min, bounds.lat_max - bounds.lat_min, kMinPadDeg});
}

// colorbar `extend`: which ends of the field fall outside [vmin, vmax].
struct Extend {
  bool min = false, max = false;
};

Extend field_extend(const Raster<float>& v, double vmin, double vmax) {
  Extend e;
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    const double x = static_cast<double>(v.data()[i]);
    if (!std::isfinite(x)) continue;
    e.min = e.min || x < vmin;
    e.max = e.max || x > vmax;
  }
  return e;
}

// Metres on the ground per degree of longitude at the source (spec: the chord between
// (lon - 1, lat) and (lon, lat) in the UTM projection).
double metres_per_degree_lon(const PlumeFigure& f) {
  double xa = 0, ya = 0, xb = 0, yb = 0;
  f.projection.forward(f.source_longitude - 1.0, f.source_latitude, xa, ya);
  f.projection.forward(f.source_longitude, f.source_latitude, xb, yb);
  return std::hypot(xb - xa, yb - ya);
}

// ---------------------------------------------------------------------------------- layout

struct Layout {
  double width = 0, height = 0;  // points
  std::vector<std::string> suptitle;
  std::string map_title, csf_title;
  Rect map, colorbar;
  std::optional<Rect> csf;
};

bool has_csf_panel(const PlumeFigure& f) {
  return !f.minimal && !f.csf_line_emission.empty() && std::isfinite(f.emission_csf);
}

// A rectangle whose corners fall on device pixels, so the raster is painted 1:1.
Rect snapped(double x, double y, double w, double h) {
  auto s = [](double v) { return std::round(v * kPx) / kPx; };
  return {s(x), s(y), s(x + w) - s(x), s(y + h) - s(y)};
}

Layout make_layout(const PlumeFigure& f) {
  Layout L;
  const bool csf = has_csf_panel(f);
  char latlon[96];
  std::snprintf(latlon, sizeof latlon, "Lat/Lon: %.4f, %.4f", f.source_latitude,
                f.source_longitude);
  if (!f.datetime.empty()) L.suptitle.push_back(f.datetime);
  if (f.minimal) {
    L.suptitle.push_back(rate_text(f.emission, f.emission_sigma, 2));
  } else {
    L.suptitle.push_back(latlon);
    L.map_title = "IME: " + rate_text(f.emission, f.emission_sigma, 1);
  }
  if (csf) L.csf_title = "CSF: " + rate_text(f.emission_csf, f.emission_csf_sigma, 1);

  L.width = csf ? 9 * 72.0 : 5 * 72.0;
  L.height = csf ? 5 * 72.0 : 5.5 * 72.0;
  const double left = 58, right_margin = csf ? 0 : 22;
  const double top =
      6 + 15.0 * static_cast<double>(L.suptitle.size()) + (L.map_title.empty() ? 4 : 17);
  const double below = 64;  // tick labels, colour bar, its ticks and label
  const double avail_w = csf ? 245 : L.width - left - right_margin;
  const double side = std::min(L.height - top - below, avail_w);
  const double extra_v = L.height - top - below - side;
  const double map_x = csf ? left : left + (avail_w - side) / 2;
  L.map = snapped(map_x, top + extra_v / 2, side, side);
  L.colorbar = {L.map.x, L.map.bottom() + 20, L.map.w, 10};
  if (csf) {
    const double x = L.map.right() + 66;
    L.csf = Rect{x, L.map.y, L.width - 14 - x, L.map.h};
  }
  return L;
}

// ---------------------------------------------------------------------------------- raster

std::uint32_t blend(std::uint32_t base, const Rgba& c) {
  if (c.a == 0) return base;
  const double a = c.a / 255.0;
  auto ch = [&](int shift, std::uint8_t top) {
    const double b = static_cast<double>((base >> shift) & 0xffu);
    return static_cast<std::uint32_t>(std::lround(a * top + (1 - a) * b)) << shift;
  };
  return ch(16, c.r) | ch(8, c.g) | ch(0, c.b);
}

std::uint32_t rgb_byte_pixel(const std::array<Raster<float>, 3>& rgb, Eigen::Index r,
                             Eigen::Index c) {
  std::uint32_t out = 0;
  for (int k = 0; k < 3; ++k) {
    const float v = rgb[static_cast<std::size_t>(k)](r, c);
    if (!std::isfinite(v)) return kNoDataGrey;
    out = (out << 8) | static_cast<std::uint32_t>(
                           std::lround(std::clamp(static_cast<double>(v), 0.0, 1.0) * 255.0));
  }
  return out;
}

bool same_shape(const Raster<float>& a, const UtmPixelGrid& g) {
  return a.rows() == g.rows && a.cols() == g.cols;
}

// UTM (x, y) of the panel's device pixel centres. The projection is smooth on this scale,
// so it is evaluated on a lattice every kStep pixels and interpolated bilinearly (error well
// below a millimetre), which keeps a 1000 x 1000 panel far under the figure's time budget.
struct PanelProjection {
  static constexpr int kStep = 16;
  int nx = 0, ny = 0;
  std::vector<int> node_x, node_y;
  std::vector<double> ux, uy;  // ny * nx lattice

  PanelProjection(const PlumeFigure& f, const Axes& ax, int w, int h) {
    auto nodes = [](int n) {
      std::vector<int> v;
      for (int i = 0; i < n - 1; i += kStep) v.push_back(i);
      v.push_back(n - 1);
      return v;
    };
    node_x = nodes(w);
    node_y = nodes(h);
    nx = static_cast<int>(node_x.size());
    ny = static_cast<int>(node_y.size());
    ux.resize(static_cast<std::size_t>(nx * ny));
    uy.resize(ux.size());
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) {
        const double lon =
            ax.x0 + (node_x[static_cast<std::size_t>(i)] + 0.5) / w * (ax.x1 - ax.x0);
        const double lat =
            ax.y1 - (node_y[static_cast<std::size_t>(j)] + 0.5) / h * (ax.y1 - ax.y0);
        const auto k = static_cast<std::size_t>(j * nx + i);
        f.projection.forward(lon, lat, ux[k], uy[k]);
      }
  }

  // Row `row`'s lattice values interpolated in y: (x, y) at each node column.
  void row_nodes(int row, std::vector<double>& rx, std::vector<double>& ry) const {
    const int j = std::min(row / kStep, ny - 2 < 0 ? 0 : ny - 2);
    const int j1 = std::min(j + 1, ny - 1);
    const double span = node_y[static_cast<std::size_t>(j1)] - node_y[static_cast<std::size_t>(j)];
    const double t = span > 0 ? (row - node_y[static_cast<std::size_t>(j)]) / span : 0.0;
    rx.resize(static_cast<std::size_t>(nx));
    ry.resize(rx.size());
    for (int i = 0; i < nx; ++i) {
      const auto a = static_cast<std::size_t>(j * nx + i),
                 b = static_cast<std::size_t>(j1 * nx + i);
      rx[static_cast<std::size_t>(i)] = ux[a] + t * (ux[b] - ux[a]);
      ry[static_cast<std::size_t>(i)] = uy[a] + t * (uy[b] - uy[a]);
    }
  }
};

// The panel's pixels (cairo RGB24): the scene RGB, light grey where it has none, with the
// plume field composited over it; nearest UTM pixel for each device pixel.
std::vector<std::uint32_t> panel_pixels(const PlumeFigure& f, const Axes& ax, int w, int h,
                                        const ColorScale& scale) {
  const UtmPixelGrid& g = f.grid;
  const bool basemap =
      same_shape(f.rgb[0], g) && same_shape(f.rgb[1], g) && same_shape(f.rgb[2], g);
  const PanelProjection proj(f, ax, w, h);
  std::vector<std::uint32_t> out(static_cast<std::size_t>(w) * static_cast<std::size_t>(h),
                                 kNoDataGrey);
  std::vector<double> rx, ry;
  for (int row = 0; row < h; ++row) {
    proj.row_nodes(row, rx, ry);
    for (int col = 0; col < w; ++col) {
      const int i = std::min(col / PanelProjection::kStep, std::max(0, proj.nx - 2));
      const int i1 = std::min(i + 1, proj.nx - 1);
      const double span =
          proj.node_x[static_cast<std::size_t>(i1)] - proj.node_x[static_cast<std::size_t>(i)];
      const double t = span > 0 ? (col - proj.node_x[static_cast<std::size_t>(i)]) / span : 0.0;
      const double x = rx[static_cast<std::size_t>(i)] +
                       t * (rx[static_cast<std::size_t>(i1)] - rx[static_cast<std::size_t>(i)]);
      const double y = ry[static_cast<std::size_t>(i)] +
                       t * (ry[static_cast<std::size_t>(i1)] - ry[static_cast<std::size_t>(i)]);
      const double gc = std::round((x - g.x0) / g.dx), gr = std::round((y - g.y0) / g.dy);
      if (!(gc >= 0 && gr >= 0 && gc < g.cols && gr < g.rows)) continue;
      const auto r = static_cast<Eigen::Index>(gr), c = static_cast<Eigen::Index>(gc);
      std::uint32_t px = basemap ? rgb_byte_pixel(f.rgb, r, c) : kNoDataGrey;
      if (r < f.field.rows() && c < f.field.cols())
        px = blend(px,
                   scale.colormap->map(static_cast<double>(f.field(r, c)), scale.vmin, scale.vmax));
      out[static_cast<std::size_t>(row) * static_cast<std::size_t>(w) +
          static_cast<std::size_t>(col)] = px;
    }
  }
  return out;
}

// Paints 0x00RRGGBB pixels at device resolution with their top-left corner at `box`'s.
void paint_pixels(cairo_t* cr, std::vector<std::uint32_t>& pixels, int w, int h, const Rect& box) {
  Surface img(cairo_image_surface_create_for_data(reinterpret_cast<unsigned char*>(pixels.data()),
                                                  CAIRO_FORMAT_RGB24, w, h, w * 4),
              cairo_surface_destroy);
  cairo_save(cr);
  cairo_identity_matrix(cr);
  cairo_set_source_surface(cr, img.get(), std::round(box.x * kPx), std::round(box.y * kPx));
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
  cairo_rectangle(cr, std::round(box.x * kPx), std::round(box.y * kPx), w, h);
  cairo_fill(cr);
  cairo_restore(cr);
}

void draw_raster(cairo_t* cr, const PlumeFigure& f, const Axes& ax, const ColorScale& scale) {
  const int w = static_cast<int>(std::lround(ax.box.w * kPx)),
            h = static_cast<int>(std::lround(ax.box.h * kPx));
  std::vector<std::uint32_t> pixels = panel_pixels(f, ax, w, h, scale);
  paint_pixels(cr, pixels, w, h, ax.box);
}

// ---------------------------------------------------------------------------------- overlays

void lonlat_of(const PlumeFigure& f, double x, double y, double& lon, double& lat) {
  f.projection.inverse(x, y, lon, lat);
}

void draw_transects(cairo_t* cr, const PlumeFigure& f, const Axes& ax) {
  cairo_set_source_rgba(cr, 1, 1, 1, 0.8);
  cairo_set_line_width(cr, 0.7);
  for (const FigureTransect& t : f.csf_lines) {
    double lon0 = 0, lat0 = 0, lon1 = 0, lat1 = 0;
    lonlat_of(f, t.x_start, t.y_start, lon0, lat0);
    lonlat_of(f, t.x_end, t.y_end, lon1, lat1);
    cairo_move_to(cr, ax.px(lon0), ax.py(lat0));
    cairo_line_to(cr, ax.px(lon1), ax.py(lat1));
  }
  cairo_stroke(cr);
}

void draw_centre_curve(cairo_t* cr, const PlumeFigure& f, const Axes& ax) {
  if (f.csf_centre.size() < 2) return;
  for (std::size_t i = 0; i < f.csf_centre.size(); ++i) {
    double lon = 0, lat = 0;
    lonlat_of(f, f.csf_centre[i][0], f.csf_centre[i][1], lon, lat);
    if (i == 0)
      cairo_move_to(cr, ax.px(lon), ax.py(lat));
    else
      cairo_line_to(cr, ax.px(lon), ax.py(lat));
  }
  set_color(cr, kDarkOrange);
  cairo_set_line_width(cr, 1.5);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke(cr);
}

// matplotlib scatter(marker='o', s=200, fc='none', linewidth=2): 14 pt across.
void draw_source(cairo_t* cr, const PlumeFigure& f, const Axes& ax) {
  cairo_new_path(cr);
  cairo_arc(cr, ax.px(f.source_longitude), ax.py(f.source_latitude), 7.0, 0, 2 * std::numbers::pi);
  set_color(cr, kYellow);
  cairo_set_line_width(cr, 2.0);
  cairo_stroke(cr);
}

// A quiver-style arrow centred on (cx, cy), `length` points long, pointing along (dx, dy)
// on the page (unit vector); shaft and head in matplotlib's proportions.
void draw_arrow(cairo_t* cr, double cx, double cy, double dx, double dy, double length) {
  const double shaft = 1.4, head_w = 3 * shaft, head_l = std::min(5 * shaft, 0.6 * length);
  const double nx = -dy, ny = dx;  // normal
  const double tx = cx - dx * length / 2, ty = cy - dy * length / 2;
  const double hx = cx + dx * length / 2, hy = cy + dy * length / 2;
  const double bx = hx - dx * head_l, by = hy - dy * head_l;
  cairo_new_path(cr);
  cairo_move_to(cr, tx + nx * shaft / 2, ty + ny * shaft / 2);
  cairo_line_to(cr, bx + nx * shaft / 2, by + ny * shaft / 2);
  cairo_line_to(cr, bx + nx * head_w / 2, by + ny * head_w / 2);
  cairo_line_to(cr, hx, hy);
  cairo_line_to(cr, bx - nx * head_w / 2, by - ny * head_w / 2);
  cairo_line_to(cr, bx - nx * shaft / 2, by - ny * shaft / 2);
  cairo_line_to(cr, tx - nx * shaft / 2, ty - ny * shaft / 2);
  cairo_close_path(cr);
  cairo_set_source_rgba(cr, 0, 0, 0, 0.6);
  cairo_set_line_width(cr, 0.6);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
  cairo_stroke_preserve(cr);
  set_color(cr, kWhite);
  cairo_fill(cr);
}

// One arrow per wind near the lower left, the fastest 13 % of the panel long, the others in
// proportion (one scale, so their lengths compare), each with "<source> x.x m/s".
void draw_wind_arrows(cairo_t* cr, const PlumeFigure& f, const Axes& ax) {
  std::vector<const FigureWind*> winds;
  double fastest = 0;
  for (const FigureWind& w : f.winds)
    if (std::isfinite(w.u) && std::isfinite(w.v)) {
      winds.push_back(&w);
      fastest = std::max(fastest, std::hypot(w.u, w.v));
    }
  const Rect& b = ax.box;
  const double max_len = 0.13 * b.w;
  for (std::size_t i = 0; i < winds.size(); ++i) {
    const FigureWind& w = *winds[i];
    const double speed = std::hypot(w.u, w.v);
    const double cy = b.bottom() - (0.07 + 0.1 * static_cast<double>(winds.size() - 1 - i)) * b.h;
    const double cx = b.x + 0.09 * b.w;
    if (speed > 0)
      draw_arrow(cr, cx, cy, w.u / speed, -w.v / speed, std::max(4.0, max_len * speed / fastest));
    draw_halo_text(cr, b.x + 0.17 * b.w, cy, w.source + " " + fixed(speed, 1) + " m/s",
                   Font{8, true}, HAlign::left, VAlign::middle);
  }
}

// 1 km, unless that is too long or too short for the panel: then 1, 2 or 5 x 10^k m near a
// fifth of the panel (as matplotlib-scalebar picks).
double scale_bar_metres(double panel_metres) {
  if (1000 <= 0.45 * panel_metres && 1000 >= 0.08 * panel_metres) return 1000;
  const double target = 0.2 * panel_metres;
  const double mag = std::pow(10.0, std::floor(std::log10(target)));
  double best = mag;
  for (const double m : {1.0, 2.0, 5.0, 10.0})
    if (std::abs(m * mag - target) < std::abs(best - target)) best = m * mag;
  return best;
}

std::string distance_label(double metres) {
  return metres >= 1000
             ? fixed(metres / 1000, metres >= 1000 && std::fmod(metres, 1000) == 0 ? 0 : 1) + " km"
             : fixed(metres, 0) + " m";
}

void draw_scale_bar(cairo_t* cr, const PlumeFigure& f, const Axes& ax, bool lower_left) {
  const double m_per_deg = metres_per_degree_lon(f);
  const double panel_m = (ax.x1 - ax.x0) * m_per_deg;
  const double metres = scale_bar_metres(panel_m);
  const double bar = metres / panel_m * ax.box.w;
  const std::string label = distance_label(metres);
  const Font font{8, false};
  const double pad = 3, bar_h = 2.2;
  const double box_w = std::max(bar, text_width(cr, label, font)) + 2 * pad;
  const double box_h = pad + bar_h + 2.5 + 0.73 * font.size + pad;
  const double bx = lower_left ? ax.box.x + 6 : ax.box.right() - 6 - box_w;
  const double by = ax.box.bottom() - 6 - box_h;
  cairo_rectangle(cr, bx, by, box_w, box_h);
  cairo_set_source_rgba(cr, 1, 1, 1, 0.8);
  cairo_fill(cr);
  cairo_rectangle(cr, bx + (box_w - bar) / 2, by + pad, bar, bar_h);
  set_color(cr, kBlack);
  cairo_fill(cr);
  draw_text(cr, bx + box_w / 2, by + pad + bar_h + 2.5, label, font, HAlign::centre, VAlign::top);
}

void draw_map_ticks(cairo_t* cr, const Axes& ax) {
  const Font& font = kTickFont;
  Ticks lon = nice_ticks(ax.x0, ax.x1, 4), lat = nice_ticks(ax.y0, ax.y1, 4);
  auto labels_of = [](const Ticks& t, bool longitude) {
    std::vector<std::string> s;
    for (const double v : t.values) s.push_back(degrees_label(v, t.decimals, longitude));
    return s;
  };
  double widest = 0;
  for (const std::string& s : labels_of(lon, true))
    widest = std::max(widest, text_width(cr, s, font));
  lon = thin_out(lon, lon.step / (ax.x1 - ax.x0) * ax.box.w, widest);
  lat = thin_out(lat, lat.step / (ax.y1 - ax.y0) * ax.box.h, font.size);
  draw_x_ticks(cr, ax, lon, labels_of(lon, true));
  draw_y_ticks(cr, ax, lat, labels_of(lat, false));
}

void draw_map_panel(cairo_t* cr, const PlumeFigure& f, const Axes& ax, const ColorScale& scale,
                    bool csf) {
  draw_raster(cr, f, ax, scale);
  cairo_save(cr);
  cairo_rectangle(cr, ax.box.x, ax.box.y, ax.box.w, ax.box.h);
  cairo_clip(cr);
  if (csf) {
    draw_transects(cr, f, ax);
    draw_centre_curve(cr, f, ax);
  }
  draw_source(cr, f, ax);
  if (!f.minimal) draw_wind_arrows(cr, f, ax);
  draw_scale_bar(cr, f, ax, f.minimal);
  cairo_restore(cr);
  draw_frame(cr, ax.box);
  draw_map_ticks(cr, ax);
}

// ---------------------------------------------------------------------------------- colour bar

void set_entry_over_white(cairo_t* cr, const Rgba& c) {
  const double a = c.a / 255.0;
  cairo_set_source_rgb(cr, a * c.r / 255.0 + 1 - a, a * c.g / 255.0 + 1 - a,
                       a * c.b / 255.0 + 1 - a);
}

// The colormap's entries along the bar (over white, as matplotlib shows the alpha ramp).
void paint_colormap_strip(cairo_t* cr, const Colormap& cmap, const Rect& r) {
  const int n = static_cast<int>(cmap.size());
  std::vector<std::uint32_t> strip(static_cast<std::size_t>(n));
  for (int k = 0; k < n; ++k)
    strip[static_cast<std::size_t>(k)] = blend(0xffffff, cmap.entry(static_cast<std::size_t>(k)));
  Surface img(cairo_image_surface_create_for_data(reinterpret_cast<unsigned char*>(strip.data()),
                                                  CAIRO_FORMAT_RGB24, n, 1, n * 4),
              cairo_surface_destroy);
  cairo_save(cr);
  cairo_translate(cr, r.x, r.y);
  cairo_scale(cr, r.w / n, r.h);
  cairo_set_source_surface(cr, img.get(), 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
  cairo_rectangle(cr, 0, 0, n, 1);
  cairo_fill(cr);
  cairo_restore(cr);
}

// Horizontal bar with matplotlib's extend triangles (5 % of the bar each), ticks below and
// the label "<GAS> Enhancement (<units>)".
void draw_colorbar(cairo_t* cr, const PlumeFigure& f, const Rect& r, const ColorScale& scale,
                   const Extend& ext) {
  const Colormap& cmap = *scale.colormap;
  const double n_tri = (ext.min ? 1 : 0) + (ext.max ? 1 : 0);
  const double inner_w = r.w / (1 + 0.05 * n_tri), tri = 0.05 * inner_w;
  const Rect inner{r.x + (ext.min ? tri : 0), r.y, inner_w, r.h};
  paint_colormap_strip(cr, cmap, inner);
  auto outline = [&] {
    cairo_new_path(cr);
    cairo_move_to(cr, inner.x, inner.y);
    cairo_line_to(cr, inner.right(), inner.y);
    if (ext.max) cairo_line_to(cr, inner.right() + tri, inner.y + inner.h / 2);
    cairo_line_to(cr, inner.right(), inner.bottom());
    cairo_line_to(cr, inner.x, inner.bottom());
    if (ext.min) cairo_line_to(cr, inner.x - tri, inner.y + inner.h / 2);
    cairo_close_path(cr);
  };
  auto triangle = [&](double base_x, double tip_x, const Rgba& c) {
    cairo_move_to(cr, base_x, inner.y);
    cairo_line_to(cr, tip_x, inner.y + inner.h / 2);
    cairo_line_to(cr, base_x, inner.bottom());
    cairo_close_path(cr);
    set_entry_over_white(cr, c);
    cairo_fill(cr);
  };
  if (ext.min) triangle(inner.x, inner.x - tri, cmap.entry(0));
  if (ext.max) triangle(inner.right(), inner.right() + tri, cmap.entry(cmap.size() - 1));
  outline();
  set_color(cr, kBlack);
  cairo_set_line_width(cr, 0.8);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
  cairo_stroke(cr);

  const Axes ax{inner, scale.vmin, scale.vmax, 0, 1};
  const Ticks ticks = nice_ticks(scale.vmin, scale.vmax, 5);
  std::vector<std::string> labels;
  for (const double v : ticks.values) labels.push_back(fixed(v, ticks.decimals));
  draw_x_ticks(cr, ax, ticks, labels);
  const std::string label = gas_label(f.gas) + " Enhancement (" + units_label(f.units) + ")";
  draw_text(cr, inner.cx(), inner.bottom() + kTickLength + 15, label, kLabelFont, HAlign::centre,
            VAlign::top);
}

// ---------------------------------------------------------------------------------- CSF panel

void draw_polyline_with_markers(cairo_t* cr, const Axes& ax, const std::vector<double>& y) {
  bool pen_down = false;
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (!std::isfinite(y[i])) {
      pen_down = false;
      continue;
    }
    const double px = ax.px(static_cast<double>(i)), py = ax.py(y[i]);
    if (pen_down)
      cairo_line_to(cr, px, py);
    else
      cairo_move_to(cr, px, py);
    pen_down = true;
  }
  set_color(cr, kLineBlue);
  cairo_set_line_width(cr, 1.5);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke(cr);
  for (std::size_t i = 0; i < y.size(); ++i)
    if (std::isfinite(y[i])) {
      cairo_new_sub_path(cr);
      cairo_arc(cr, ax.px(static_cast<double>(i)), ax.py(y[i]), 3.0, 0, 2 * std::numbers::pi);
    }
  cairo_fill(cr);
}

void draw_csf_panel(cairo_t* cr, const PlumeFigure& f, const Rect& box, const std::string& title) {
  std::vector<double> rate;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo, sum = 0;
  int n_finite = 0;
  for (const double e : f.csf_line_emission) {
    rate.push_back(e / 1000.0);
    if (!std::isfinite(e)) continue;
    lo = std::min(lo, e / 1000.0);
    hi = std::max(hi, e / 1000.0);
    sum += e / 1000.0;
    ++n_finite;
  }
  const double mean = n_finite ? sum / n_finite : std::nan("");
  if (!n_finite) lo = 0, hi = 1;
  if (hi - lo <= 0)
    lo -= std::max(0.05, std::abs(lo) * 0.1), hi += std::max(0.05, std::abs(hi) * 0.1);
  const double margin_y = 0.05 * (hi - lo);
  const double n = static_cast<double>(rate.size());
  const double margin_x = n > 1 ? 0.05 * (n - 1) : 0.5;
  const Axes ax{box, -margin_x, n - 1 + margin_x, lo - margin_y, hi + margin_y};

  cairo_save(cr);
  cairo_rectangle(cr, box.x, box.y, box.w, box.h);
  cairo_clip(cr);
  if (std::isfinite(mean)) {
    const double dash[] = {4.0, 2.5};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, box.x, ax.py(mean));
    cairo_line_to(cr, box.right(), ax.py(mean));
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    cairo_set_line_width(cr, 1.2);
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
  }
  draw_polyline_with_markers(cr, ax, rate);
  cairo_restore(cr);
  draw_frame(cr, box);

  Ticks xt = nice_ticks(0, n - 1, 6, true);
  if (xt.values.empty()) xt.values = {0};
  const Ticks yt = nice_ticks(ax.y0, ax.y1, 5);
  std::vector<std::string> xl, yl;
  for (const double v : xt.values) xl.push_back(fixed(v, 0));
  double widest = 0;
  for (const double v : yt.values) {
    yl.push_back(fixed(v, yt.decimals));
    widest = std::max(widest, text_width(cr, yl.back(), kTickFont));
  }
  draw_x_ticks(cr, ax, xt, xl);
  draw_y_ticks(cr, ax, yt, yl);
  draw_text(cr, box.cx(), box.bottom() + kTickLength + 14, "Line index", kLabelFont, HAlign::centre,
            VAlign::top);
  cairo_save(cr);
  cairo_translate(cr, box.x - kTickLength - 2 - widest - 6, box.y + box.h / 2);
  cairo_rotate(cr, -std::numbers::pi / 2);
  draw_text(cr, 0, 0, "Emission rate (t/h)", kLabelFont, HAlign::centre, VAlign::baseline);
  cairo_restore(cr);
  draw_text(cr, box.cx(), box.y - 6, title, kPanelTitleFont, HAlign::centre, VAlign::baseline);
}

// ---------------------------------------------------------------------------------- titles

void draw_title(cairo_t* cr, const Layout& L) {
  for (std::size_t i = 0; i < L.suptitle.size(); ++i)
    draw_text(cr, L.width / 2, 6 + 15.0 * static_cast<double>(i), L.suptitle[i], kSuptitleFont,
              HAlign::centre, VAlign::top);
  if (!L.map_title.empty())
    draw_text(cr, L.map.cx(), L.map.y - 6, L.map_title, kPanelTitleFont, HAlign::centre,
              VAlign::baseline);
}

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void check(cairo_status_t st, const char* what) {
  if (st != CAIRO_STATUS_SUCCESS)
    throw InternalError(std::string("cairo (") + what + "): " + cairo_status_to_string(st));
}

void check_input(const PlumeFigure& f) {
  if (f.grid.rows <= 0 || f.grid.cols <= 0 || f.field.rows() != f.grid.rows ||
      f.field.cols() != f.grid.cols)
    throw InputError("the plume field does not match its UTM grid");
  if (!std::isfinite(f.source_latitude) || !std::isfinite(f.source_longitude))
    throw InputError("the plume source has no finite latitude/longitude");
}

}  // namespace

std::string render_plume_figure(const PlumeFigure& figure) {
  check_input(figure);
  const std::optional<LonLatBox> bounds = plume_bounds(figure);
  if (!bounds) throw InputError("the plume field has no finite value");
  const ColorScale scale = plume_color_scale(figure.gas, figure.units, figure.field);
  const Extend extend = field_extend(figure.field, scale.vmin, scale.vmax);
  const Layout L = make_layout(figure);
  const double pad = half_extent_deg(figure, *bounds);
  const Axes map{L.map, figure.source_longitude - pad, figure.source_longitude + pad,
                 figure.source_latitude - pad, figure.source_latitude + pad};

  const int w = static_cast<int>(std::lround(L.width * kPx)),
            h = static_cast<int>(std::lround(L.height * kPx));
  Surface surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h), cairo_surface_destroy);
  check(cairo_surface_status(surface.get()), "surface");
  Context cr(cairo_create(surface.get()), cairo_destroy);
  check(cairo_status(cr.get()), "context");
  cairo_font_options_t* fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_set_font_options(cr.get(), fo);
  cairo_font_options_destroy(fo);
  cairo_scale(cr.get(), kPx, kPx);
  set_color(cr.get(), kWhite);
  cairo_paint(cr.get());

  draw_map_panel(cr.get(), figure, map, scale, L.csf.has_value());
  draw_colorbar(cr.get(), figure, L.colorbar, scale, extend);
  if (L.csf) draw_csf_panel(cr.get(), figure, *L.csf, L.csf_title);
  draw_title(cr.get(), L);
  check(cairo_status(cr.get()), "drawing");

  cairo_surface_flush(surface.get());
  std::string png;
  check(cairo_surface_write_to_png_stream(surface.get(), append_bytes, &png), "PNG");
  return png;
}

}  // namespace hyperplume::viz
