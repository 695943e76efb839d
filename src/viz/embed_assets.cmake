# Writes a header holding the map page's script and style as raw string literals.
file(READ ${JS} js)
file(READ ${CSS} css)
file(WRITE ${OUT}.tmp "#pragma once\n// Generated from src/viz/web_map.js and web_map.css: do not edit.\nnamespace hyperplume::viz::assets {\ninline constexpr const char* kWebMapJs = R\"HPASSET(${js})HPASSET\";\ninline constexpr const char* kWebMapCss = R\"HPASSET(${css})HPASSET\";\n}\n")
file(RENAME ${OUT}.tmp ${OUT})
