extension CStandalone {

  /// The strict JSON layer of the C safetensors reader (RFC 8259, as `TensorRuntime`'s
  /// `JSONParser`): the header's parse state, strings decoded with their length (strict UTF-8,
  /// escapes, surrogate pairs), numbers (integers checked for overflow) and punctuation. Any
  /// violation is one line `error: FILE: malformed safetensors header: invalid JSON: … at byte N`.
  static let safeTensorsJSON = #"""
    /* ---- safetensors: strict JSON ---- */

    /* One top-level member of the header: a tensor, or `__metadata__` (dtype -1). */
    typedef struct { const char* name; size_t length; int dtype, rank; size_t dims; int64_t count, begin, end; } sa_tensor_;

    typedef struct {
      sa_cursor_ c;
      const char* start;                                /* the header's first byte */
      char* text; size_t used;                          /* decoded strings (never longer than the header) */
      int64_t* dims; size_t ndims, dims_cap;            /* every shape's extents */
      sa_tensor_* items; size_t nitems, items_cap;
    } sa_header_;

    static void sa_bad_json_(sa_header_* h, const char* problem) {
      sa_die_(h->c.file, "malformed safetensors header: invalid JSON: %s at byte %zu", problem, (size_t)(h->c.p - h->start));
    }

    /* `name` for a one-line message: control characters as '?', at most 200 bytes. */
    static const char* sa_shown_(const char* name, size_t length) {
      static char out[2][208];
      static int turn = 0;
      char* o = out[turn ^= 1];
      size_t n = length < 200 ? length : 200;
      for (size_t i = 0; i < n; i++) o[i] = (unsigned char)name[i] < 0x20 || name[i] == 0x7f ? '?' : name[i];
      if (length > 200) { o[n++] = '.'; o[n++] = '.'; o[n++] = '.'; }
      o[n] = 0;
      return o;
    }

    /* The length of the valid UTF-8 sequence at p (0 if invalid: overlong, surrogate, > U+10FFFF). */
    static size_t sa_utf8_(const unsigned char* p, const unsigned char* e) {
      unsigned char b = p[0];
      size_t n;
      uint32_t v;
      if (b < 0x80) return 1;
      if (b >= 0xc2 && b <= 0xdf) { n = 2; v = b & 0x1f; }
      else if (b >= 0xe0 && b <= 0xef) { n = 3; v = b & 0x0f; }
      else if (b >= 0xf0 && b <= 0xf4) { n = 4; v = b & 0x07; }
      else return 0;
      if ((size_t)(e - p) < n) return 0;
      for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) return 0;
        v = (v << 6) | (p[i] & 0x3f);
      }
      if (n == 3 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) return 0;
      if (n == 4 && (v < 0x10000 || v > 0x10ffff)) return 0;
      return n;
    }

    static unsigned sa_hex4_(sa_header_* h) {
      unsigned v = 0;
      if (h->c.e - h->c.p < 4) sa_bad_json_(h, "invalid \\u escape");
      for (int k = 0; k < 4; k++) {
        char x = *h->c.p++;
        int d = x >= '0' && x <= '9' ? x - '0' : x >= 'a' && x <= 'f' ? x - 'a' + 10 : x >= 'A' && x <= 'F' ? x - 'A' + 10 : -1;
        if (d < 0) sa_bad_json_(h, "invalid \\u escape");
        v = v * 16 + (unsigned)d;
      }
      return v;
    }

    /* A JSON string (strict: UTF-8, escapes, surrogate pairs), decoded with its length. */
    static const char* sa_jstring_(sa_header_* h, size_t* length) {
      sa_ws_(&h->c);
      if (h->c.p >= h->c.e || *h->c.p != '"') sa_bad_json_(h, "expected a string");
      h->c.p++;
      char* out = h->text + h->used;
      size_t n = 0;
      for (;;) {
        if (h->c.p >= h->c.e) sa_bad_json_(h, "unterminated string");
        unsigned char b = (unsigned char)*h->c.p;
        if (b == '"') { h->c.p++; break; }
        if (b < 0x20) sa_bad_json_(h, "control character in string");
        if (b != '\\') {
          size_t m = sa_utf8_((const unsigned char*)h->c.p, (const unsigned char*)h->c.e);
          if (!m) sa_bad_json_(h, "invalid UTF-8");
          memcpy(out + n, h->c.p, m);
          n += m;
          h->c.p += m;
          continue;
        }
        h->c.p++;
        if (h->c.p >= h->c.e) sa_bad_json_(h, "unterminated escape");
        char x = *h->c.p++;
        unsigned v;
        switch (x) {
        case '"': case '\\': case '/': out[n++] = x; continue;
        case 'b': out[n++] = '\b'; continue;
        case 'f': out[n++] = '\f'; continue;
        case 'n': out[n++] = '\n'; continue;
        case 'r': out[n++] = '\r'; continue;
        case 't': out[n++] = '\t'; continue;
        case 'u':
          v = sa_hex4_(h);
          if (v >= 0xd800 && v < 0xdc00) {
            if (h->c.e - h->c.p < 2 || h->c.p[0] != '\\' || h->c.p[1] != 'u') sa_bad_json_(h, "invalid literal");
            h->c.p += 2;
            unsigned low = sa_hex4_(h);
            if (low < 0xdc00 || low >= 0xe000) sa_bad_json_(h, "invalid surrogate pair");
            v = 0x10000 + ((v - 0xd800) << 10) + (low - 0xdc00);
          } else if (v >= 0xdc00 && v < 0xe000) sa_bad_json_(h, "invalid \\u escape");
          if (v < 0x80) out[n++] = (char)v;
          else if (v < 0x800) { out[n++] = (char)(0xc0 | (v >> 6)); out[n++] = (char)(0x80 | (v & 63)); }
          else if (v < 0x10000) {
            out[n++] = (char)(0xe0 | (v >> 12)); out[n++] = (char)(0x80 | ((v >> 6) & 63)); out[n++] = (char)(0x80 | (v & 63));
          } else {
            out[n++] = (char)(0xf0 | (v >> 18)); out[n++] = (char)(0x80 | ((v >> 12) & 63));
            out[n++] = (char)(0x80 | ((v >> 6) & 63)); out[n++] = (char)(0x80 | (v & 63));
          }
          continue;
        default: sa_bad_json_(h, "invalid escape");
        }
      }
      out[n] = 0;
      h->used += n + 1;
      *length = n;
      return out;
    }

    /* A JSON number; 1 when it is a non-negative integer (digits only) that fits in int64_t. */
    static int sa_jnumber_(sa_header_* h, int64_t* value) {
      const char* p = h->c.p;
      const char* e = h->c.e;
      int plain = 1;
      int64_t v = 0;
      if (p < e && *p == '-') { plain = 0; p++; }
      if (p >= e || *p < '0' || *p > '9') sa_bad_json_(h, "invalid number");
      for (; p < e && *p >= '0' && *p <= '9'; p++) {
        int d = *p - '0';
        if (v > (INT64_MAX - d) / 10) plain = 0; else v = v * 10 + d;
      }
      if (p < e && *p == '.') {
        plain = 0;
        if (++p >= e || *p < '0' || *p > '9') sa_bad_json_(h, "invalid number");
        while (p < e && *p >= '0' && *p <= '9') p++;
      }
      if (p < e && (*p == 'e' || *p == 'E')) {
        plain = 0;
        if (++p < e && (*p == '+' || *p == '-')) p++;
        if (p >= e || *p < '0' || *p > '9') sa_bad_json_(h, "invalid number");
        while (p < e && *p >= '0' && *p <= '9') p++;
      }
      h->c.p = p;
      *value = v;
      return plain;
    }

    /* `,` (1) or the closing `close` (0) after a member or item. */
    static int sa_jnext_(sa_header_* h, char close) {
      sa_ws_(&h->c);
      if (h->c.p >= h->c.e) sa_bad_json_(h, close == '}' ? "unterminated object" : "unterminated array");
      if (*h->c.p == ',') { h->c.p++; return 1; }
      if (*h->c.p == close) { h->c.p++; return 0; }
      sa_bad_json_(h, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
      return 0;
    }

    /* Opens `[` or `{`; 0 when it is empty (and closed). */
    static int sa_jopen_(sa_header_* h, char open) {
      sa_ws_(&h->c);
      if (h->c.p >= h->c.e || *h->c.p != open) return -1;
      h->c.p++;
      sa_ws_(&h->c);
      if (h->c.p < h->c.e && *h->c.p == (open == '{' ? '}' : ']')) { h->c.p++; return 0; }
      return 1;
    }

    static void sa_jcolon_(sa_header_* h) {
      sa_ws_(&h->c);
      if (h->c.p >= h->c.e || *h->c.p != ':') sa_bad_json_(h, "expected ':'");
      h->c.p++;
    }

    """#
}
