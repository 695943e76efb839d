#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/envi.hpp>
#include <sstream>

namespace hyperplume::io {
namespace fs = std::filesystem;

namespace {
std::string trim(std::string s) {
  const auto a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return {};
  const auto b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::size_t bytes_per_value(int type, const std::string& file) {
  switch (type) {
    case 1:
      return 1;
    case 2:
    case 12:
      return 2;
    case 3:
    case 4:
    case 13:
      return 4;
    case 5:
    case 14:
    case 15:
      return 8;
    default:
      throw InputError("unsupported ENVI data type " + std::to_string(type),
                       ErrorContext{file, {}, {}});
  }
}

template <class T>
double load(const char* p, bool swap) {
  T v;
  std::memcpy(&v, p, sizeof v);
  if (swap) {
    auto* b = reinterpret_cast<unsigned char*>(&v);
    std::reverse(b, b + sizeof v);
  }
  return static_cast<double>(v);
}
}  // namespace

EnviHeader read_envi_header(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError("cannot open ENVI header", ErrorContext{path, {}, {}});
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  if (text.rfind("ENVI", 0) != 0)
    throw InputError("not an ENVI header (no 'ENVI' magic)", ErrorContext{path, {}, {}});
  EnviHeader h;
  std::size_t pos = text.find('\n');
  while (pos != std::string::npos && pos < text.size()) {
    const std::size_t eq = text.find('=', pos);
    if (eq == std::string::npos) break;
    const std::string key = lower(trim(text.substr(pos, eq - pos)));
    std::size_t vstart = eq + 1;
    while (vstart < text.size() && (text[vstart] == ' ' || text[vstart] == '\t')) ++vstart;
    std::string value;
    if (vstart < text.size() && text[vstart] == '{') {
      const std::size_t close = text.find('}', vstart);
      if (close == std::string::npos)
        throw InputError("unterminated '{' for key '" + key + "'", ErrorContext{path, {}, {}});
      value = text.substr(vstart + 1, close - vstart - 1);
      pos = text.find('\n', close);
    } else {
      const std::size_t nl = text.find('\n', vstart);
      value = trim(text.substr(vstart, nl == std::string::npos ? std::string::npos : nl - vstart));
      pos = nl;
    }
    h.fields[key] = value;
    if (pos != std::string::npos) ++pos;
  }
  auto num = [&](const char* k, bool required) -> std::size_t {
    auto it = h.fields.find(k);
    if (it == h.fields.end()) {
      if (required)
        throw InputError(std::string("ENVI header lacks '") + k + "'", ErrorContext{path, {}, {}});
      return 0;
    }
    try {
      return static_cast<std::size_t>(std::stoull(it->second));
    } catch (...) {
      throw InputError(std::string("ENVI header key '") + k + "' is not a number",
                       ErrorContext{path, {}, {}});
    }
  };
  h.samples = num("samples", true);
  h.lines = num("lines", true);
  h.bands = num("bands", true);
  h.header_offset = num("header offset", false);
  h.data_type = static_cast<int>(num("data type", true));
  h.byte_order = static_cast<int>(num("byte order", false));
  h.interleave = lower(h.fields.count("interleave") ? h.fields["interleave"] : "bsq");
  if (auto it = h.fields.find("wavelength"); it != h.fields.end()) {
    std::stringstream ws(it->second);
    std::string item;
    while (std::getline(ws, item, ',')) {
      item = trim(item);
      if (!item.empty()) h.wavelength.push_back(std::stod(item));
    }
    if (h.wavelength.size() != h.bands)
      throw InputError("ENVI header lists " + std::to_string(h.wavelength.size()) +
                           " wavelengths for " + std::to_string(h.bands) + " bands",
                       ErrorContext{path, {}, {}});
  }
  return h;
}

EnviImage read_envi(const std::string& data_path) {
  std::string hdr = data_path + ".hdr";
  if (!fs::exists(hdr)) hdr = fs::path(data_path).replace_extension(".hdr").string();
  EnviImage img;
  img.header = read_envi_header(hdr);
  const EnviHeader& h = img.header;
  const std::size_t bpv = bytes_per_value(h.data_type, hdr);
  const std::size_t n = h.samples * h.lines * h.bands;
  std::ifstream in(data_path, std::ios::binary);
  if (!in) throw InputError("cannot open ENVI data file", ErrorContext{data_path, {}, {}});
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::size_t>(in.tellg());
  if (size < h.header_offset + n * bpv)
    throw InputError("ENVI data file is truncated: " + std::to_string(size) +
                         " bytes, header needs " + std::to_string(h.header_offset + n * bpv),
                     ErrorContext{data_path, {}, {}});
  std::vector<char> raw(n * bpv);
  in.seekg(static_cast<std::streamoff>(h.header_offset));
  in.read(raw.data(), static_cast<std::streamsize>(raw.size()));
  const bool swap = (h.byte_order == 1) != (std::endian::native == std::endian::big);
  img.data.resize(n);
  for (std::size_t l = 0; l < h.lines; ++l)
    for (std::size_t s = 0; s < h.samples; ++s)
      for (std::size_t b = 0; b < h.bands; ++b) {
        std::size_t src = 0;
        if (h.interleave == "bsq")
          src = (b * h.lines + l) * h.samples + s;
        else if (h.interleave == "bil")
          src = (l * h.bands + b) * h.samples + s;
        else if (h.interleave == "bip")
          src = (l * h.samples + s) * h.bands + b;
        else
          throw InputError("unknown ENVI interleave '" + h.interleave + "'",
                           ErrorContext{hdr, {}, {}});
        const char* p = raw.data() + src * bpv;
        double v = 0;
        switch (h.data_type) {
          case 1:
            v = static_cast<unsigned char>(*p);
            break;
          case 2:
            v = load<std::int16_t>(p, swap);
            break;
          case 3:
            v = load<std::int32_t>(p, swap);
            break;
          case 4:
            v = load<float>(p, swap);
            break;
          case 5:
            v = load<double>(p, swap);
            break;
          case 12:
            v = load<std::uint16_t>(p, swap);
            break;
          case 13:
            v = load<std::uint32_t>(p, swap);
            break;
          case 14:
            v = load<std::int64_t>(p, swap);
            break;
          case 15:
            v = load<std::uint64_t>(p, swap);
            break;
        }
        img.data[(l * h.samples + s) * h.bands + b] = v;
      }
  return img;
}

}  // namespace hyperplume::io
