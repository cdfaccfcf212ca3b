extension CStandalone {

  /// The C safetensors reader of a standalone executable: `sa_read_params_(path)` validates the
  /// whole file by the rules listed on `TensorRuntime`'s `SafeTensors.read` (both readers are
  /// tested on one corpus by `StandaloneReaderTests`),
  /// then returns the circuit's parameters as `float` arrays (`F16`, `BF16` and `F64` converted
  /// as `circuit run` does). Every count is overflow-checked; any violation is one line and exit 1.
  static let safeTensorsReader = #"""
    /* ---- safetensors: entries, tiling, parameters ---- */

    static const char* const sa_dtype_names_[] = {"F32", "F16", "BF16", "F64", "I64", "I32", "I16", "I8", "U8", "U16", "BOOL"};
    static const int sa_dtype_sizes_[] = {4, 2, 2, 8, 8, 4, 2, 1, 1, 2, 1};

    /* A list of non-negative integers into `dims` (shape) or `out` (data_offsets); its length. */
    static size_t sa_jints_(sa_header_* h, sa_tensor_* t, const char* field, int64_t* out, size_t cap) {
      int open = sa_jopen_(h, '[');
      if (open < 0) sa_die_(h->c.file, "tensor '%s' %s is not an array", sa_shown_(t->name, t->length), field);
      size_t n = 0;
      while (open) {
        int64_t v;
        sa_ws_(&h->c);
        if (h->c.p >= h->c.e || (*h->c.p != '-' && (*h->c.p < '0' || *h->c.p > '9')) || !sa_jnumber_(h, &v))
          sa_die_(h->c.file, "tensor '%s' %s contains a value that is not a non-negative integer", sa_shown_(t->name, t->length), field);
        if (out) { if (n < cap) out[n] = v; }
        else {
          if (h->ndims == h->dims_cap) {
            h->dims_cap = h->dims_cap ? 2 * h->dims_cap : 64;
            h->dims = realloc(h->dims, h->dims_cap * sizeof(int64_t));
            if (!h->dims) sa_die_(h->c.file, "out of memory");
          }
          h->dims[h->ndims++] = v;
        }
        n++;
        open = sa_jnext_(h, ']');
      }
      return n;
    }

    /* One tensor entry: exactly dtype, shape and data_offsets, consistent with each other. */
    static void sa_entry_(sa_header_* h, sa_tensor_* t, size_t buffer) {
      const char* file = h->c.file;
      const char* shown = sa_shown_(t->name, t->length);
      int have[3] = {0, 0, 0};
      int64_t offsets[2] = {0, 0};
      size_t noffsets = 0;
      int open = sa_jopen_(h, '{');
      if (open < 0) sa_die_(file, "tensor '%s' entry is not an object", shown);
      t->dtype = -2;
      t->dims = h->ndims;
      while (open) {
        size_t length;
        const char* key = sa_jstring_(h, &length);
        sa_jcolon_(h);
        int k = length == 5 && !memcmp(key, "dtype", 5) ? 0 : length == 5 && !memcmp(key, "shape", 5) ? 1
          : length == 12 && !memcmp(key, "data_offsets", 12) ? 2 : -1;
        if (k < 0) sa_die_(file, "tensor '%s' has unexpected field '%s'", shown, sa_shown_(key, length));
        if (have[k]) sa_die_(file, "tensor '%s' has a duplicate field '%s'", shown, key);
        have[k] = 1;
        if (k == 0) {
          sa_ws_(&h->c);
          if (h->c.p >= h->c.e || *h->c.p != '"') sa_die_(file, "tensor '%s' dtype is not a string", shown);
          const char* d = sa_jstring_(h, &length);
          for (int j = 0; j < (int)(sizeof sa_dtype_sizes_ / sizeof(int)); j++)
            if (strlen(sa_dtype_names_[j]) == length && !memcmp(sa_dtype_names_[j], d, length)) t->dtype = j;
          if (t->dtype < 0) sa_die_(file, "tensor '%s' has unsupported dtype '%s'", shown, sa_shown_(d, length));
        } else if (k == 1) {
          t->dims = h->ndims;
          size_t rank = sa_jints_(h, t, "shape", 0, 0);
          if (rank > 1000000) sa_die_(file, "tensor '%s' shape has %zu extents", shown, rank);
          t->rank = (int)rank;
        } else {
          noffsets = sa_jints_(h, t, "data_offsets", offsets, 2);
        }
        open = sa_jnext_(h, '}');
      }
      for (int k = 0; k < 3; k++)
        if (!have[k]) sa_die_(file, "tensor '%s' has no '%s'", shown, k == 0 ? "dtype" : k == 1 ? "shape" : "data_offsets");
      if (noffsets != 2) sa_die_(file, "tensor '%s' data_offsets is not two non-negative integers", shown);
      t->begin = offsets[0];
      t->end = offsets[1];
      if (t->begin > t->end) sa_die_(file, "tensor '%s' data_offsets [%lld, %lld] end before they begin", shown, (long long)t->begin, (long long)t->end);
      if ((uint64_t)t->end > (uint64_t)buffer)
        sa_die_(file, "tensor '%s' data_offsets [%lld, %lld] exceed the data buffer of %zu bytes", shown, (long long)t->begin, (long long)t->end, buffer);
      /* The element count, as ShapeMath.elementCount: overflow or more than 2^31 is refused. */
      int64_t count = 1;
      int overflow = 0, zero = 0;
      for (int i = 0; i < t->rank; i++) {
        int64_t x = h->dims[t->dims + (size_t)i];
        if (x == 0) zero = 1;
        else if (count > INT64_MAX / x) overflow = 1;
        else count *= x;
      }
      if (zero) count = 0;
      else if (overflow) sa_die_(file, "tensor '%s' shape is invalid: its element count overflows", shown);
      else if (count > ((int64_t)1 << 31)) sa_die_(file, "tensor '%s' shape is invalid: element count %lld exceeds the limit of 2147483648", shown, (long long)count);
      t->count = count;
      if (count * sa_dtype_sizes_[t->dtype] != t->end - t->begin)
        sa_die_(file, "tensor '%s' has %lld elements of %s needing %lld bytes but data_offsets [%lld, %lld] span %lld bytes", shown,
                (long long)count, sa_dtype_names_[t->dtype], (long long)(count * sa_dtype_sizes_[t->dtype]),
                (long long)t->begin, (long long)t->end, (long long)(t->end - t->begin));
    }

    /* `__metadata__`: an object of strings. */
    static void sa_metadata_(sa_header_* h) {
      int open = sa_jopen_(h, '{');
      if (open < 0) sa_die_(h->c.file, "malformed safetensors header: '__metadata__' is not an object");
      while (open) {
        size_t length;
        const char* key = sa_jstring_(h, &length);
        sa_jcolon_(h);
        sa_ws_(&h->c);
        if (h->c.p >= h->c.e || *h->c.p != '"')
          sa_die_(h->c.file, "malformed safetensors header: '__metadata__' value for '%s' is not a string", sa_shown_(key, length));
        sa_jstring_(h, &length);
        open = sa_jnext_(h, '}');
      }
    }

    static int sa_by_name_(const void* a, const void* b) {
      const sa_tensor_* x = a;
      const sa_tensor_* y = b;
      int c = memcmp(x->name, y->name, x->length < y->length ? x->length : y->length);
      return c ? c : (x->length > y->length) - (x->length < y->length);
    }

    static int sa_by_offset_(const void* a, const void* b) {
      const sa_tensor_* x = a;
      const sa_tensor_* y = b;
      if (x->dtype < 0 || y->dtype < 0) return (x->dtype < 0) - (y->dtype < 0); /* metadata last */
      if (x->begin != y->begin) return (x->begin > y->begin) - (x->begin < y->begin);
      return (x->end > y->end) - (x->end < y->end);
    }

    static float sa_half_(uint16_t x) {
      uint32_t sign = (uint32_t)(x >> 15) << 31, e = (x >> 10) & 31, m = x & 1023, bits;
      if (e == 0) {
        if (m == 0) bits = sign;
        else {
          e = 113;
          while (!(m & 1024)) { m <<= 1; e--; }
          bits = sign | (e << 23) | ((m & 1023) << 13);
        }
      } else if (e == 31) bits = sign | 0x7f800000u | (m << 13);
      else bits = sign | ((e + 112) << 23) | (m << 13);
      float f;
      memcpy(&f, &bits, 4);
      return f;
    }

    static float** sa_read_params_(const char* path) {
      size_t n;
      unsigned char* b = sa_read_file_(path, &n);
      if (n < 8) sa_die_(path, "truncated safetensors file (%zu bytes is shorter than the 8-byte header length)", n);
      uint64_t hl = 0;
      for (int i = 7; i >= 0; i--) hl = (hl << 8) | b[i];
      if (hl > 100000000ull) sa_die_(path, "malformed safetensors header: header length %llu exceeds the limit of 100000000 bytes", (unsigned long long)hl);
      if (hl > n - 8) sa_die_(path, "truncated safetensors file: header length %llu runs past the end of the %zu-byte file", (unsigned long long)hl, n);
      if (hl == 0 || b[8] != '{') sa_die_(path, "malformed safetensors header: the header does not start with '{'");
      const unsigned char* data = b + 8 + hl;
      size_t buffer = n - 8 - (size_t)hl;
      sa_header_ h = {{(const char*)b + 8, (const char*)b + 8 + hl, path}, (const char*)b + 8, malloc((size_t)hl + 1), 0, 0, 0, 0, 0, 0, 0};
      if (!h.text) sa_die_(path, "out of memory");
      int open = sa_jopen_(&h, '{');
      while (open) {
        if (h.nitems == h.items_cap) {
          h.items_cap = h.items_cap ? 2 * h.items_cap : 16;
          h.items = realloc(h.items, h.items_cap * sizeof(sa_tensor_));
          if (!h.items) sa_die_(path, "out of memory");
        }
        sa_tensor_* t = &h.items[h.nitems++];
        memset(t, 0, sizeof *t);
        t->name = sa_jstring_(&h, &t->length);
        sa_jcolon_(&h);
        if (t->length == 12 && !memcmp(t->name, "__metadata__", 12)) { t->dtype = -1; sa_metadata_(&h); }
        else sa_entry_(&h, t, buffer);
        open = sa_jnext_(&h, '}');
      }
      sa_ws_(&h.c);
      if (h.c.p != h.c.e) sa_bad_json_(&h, "unexpected trailing text");
      /* Unique names. */
      qsort(h.items, h.nitems, sizeof(sa_tensor_), sa_by_name_);
      for (size_t i = 1; i < h.nitems; i++)
        if (!sa_by_name_(&h.items[i - 1], &h.items[i]))
          sa_die_(path, "malformed safetensors header: duplicate key '%s'", sa_shown_(h.items[i].name, h.items[i].length));
      /* The tensors tile the data buffer exactly: no overlap, no gap, no trailing bytes. */
      sa_tensor_* tiles = malloc((h.nitems + 1) * sizeof(sa_tensor_));
      if (!tiles) sa_die_(path, "out of memory");
      memcpy(tiles, h.items, h.nitems * sizeof(sa_tensor_));
      qsort(tiles, h.nitems, sizeof(sa_tensor_), sa_by_offset_);
      int64_t end = 0;
      const sa_tensor_* previous = 0;
      for (size_t i = 0; i < h.nitems && tiles[i].dtype >= 0; i++) {
        const sa_tensor_* t = &tiles[i];
        if (t->begin < end && previous)
          sa_die_(path, "tensor '%s' data_offsets [%lld, %lld] overlap tensor '%s' data_offsets [%lld, %lld]",
                  sa_shown_(t->name, t->length), (long long)t->begin, (long long)t->end,
                  sa_shown_(previous->name, previous->length), (long long)previous->begin, (long long)previous->end);
        if (t->begin > end)
          sa_die_(path, "the data buffer has a gap between bytes %lld and %lld (before tensor '%s')", (long long)end,
                  (long long)t->begin, sa_shown_(t->name, t->length));
        end = t->end;
        previous = t;
      }
      if ((uint64_t)end != (uint64_t)buffer)
        sa_die_(path, "the data buffer has %llu bytes after the last tensor (tensors cover %lld of %zu bytes)",
                (unsigned long long)(buffer - (size_t)end), (long long)end, buffer);
      free(tiles);
      /* The circuit's parameters. */
      float** out = calloc(SA_NPAR_ + 1, sizeof(float*));
      if (!out) sa_die_(path, "out of memory");
      for (int k = 0; k < SA_NPAR_; k++) {
        const sa_spec_* s = &sa_par_[k];
        const sa_source_* src = &sa_src_[k];
        sa_tensor_ key = {src->name, strlen(src->name), 0, 0, 0, 0, 0, 0};
        const sa_tensor_* t = bsearch(&key, h.items, h.nitems, sizeof(sa_tensor_), sa_by_name_);
        char got[512], want[512], shown[1200];
        if (strcmp(src->name, s->name)) snprintf(shown, sizeof shown, "%s' (from '%s", s->name, src->name);
        else snprintf(shown, sizeof shown, "%s", s->name);
        if (!t || t->dtype < 0) sa_die_(path, "parameter '%s' is missing", shown);
        if (t->dtype > 3) sa_die_(path, "parameter '%s' has dtype %s, expected F32", shown, sa_dtype_names_[t->dtype]);
        /* As `circuit run`: stored dimensions of size 1 are skipped. */
        int i = 0, j = 0, same = 1;
        while (same) {
          while (i < t->rank && h.dims[t->dims + (size_t)i] == 1) i++;
          while (j < src->rank && src->shape[j] == 1) j++;
          if (i == t->rank || j == src->rank) { same = i == t->rank && j == src->rank; break; }
          same = h.dims[t->dims + (size_t)i] == src->shape[j];
          i++; j++;
        }
        if (!same) {
          sa_shape_text_(got, sizeof got, h.dims + t->dims, t->rank < 32 ? t->rank : 32);
          sa_shape_text_(want, sizeof want, src->shape, src->rank);
          sa_die_(path, "parameter '%s' has shape %s but the circuit expects %s", shown, got, want);
        }
        size_t count = (size_t)t->count;
        const unsigned char* d = data + t->begin;
        float* p = out[k] = sa_alloc_(path, sa_bytes_(path, s->count, 4));
        for (size_t i = 0; i < count; i++) {
          uint16_t half;
          double wide;
          switch (t->dtype) {
          case 0: memcpy(p + i, d + 4 * i, 4); break;
          case 1: memcpy(&half, d + 2 * i, 2); p[i] = sa_half_(half); break;
          case 2: { memcpy(&half, d + 2 * i, 2); uint32_t bits = (uint32_t)half << 16; memcpy(p + i, &bits, 4); break; }
          default:
            memcpy(&wide, d + 8 * i, 8);
            /* Out of float's range (undefined in C): an infinity, refused below. */
            p[i] = wide != wide ? NAN : wide >= 3.4028235677973366e38 ? INFINITY : wide <= -3.4028235677973366e38 ? -INFINITY : (float)wide;
            break;
          }
          /* As `circuit run`: parameters must be finite. */
          if (!isfinite(p[i]))
            sa_die_(path, "parameter '%s' contains %s (element %zu)", shown, isnan(p[i]) ? "NaN" : "an infinity", i);
        }
        if (!src->identity) { /* the stored layout into the declared axis order (the baked --param-map) */
          float* q = sa_alloc_(path, sa_bytes_(path, s->count, 4));
          int64_t index[64] = {0};
          for (size_t e = 0; e < count; e++) {
            int64_t from = 0;
            for (int a = 0; a < s->rank; a++) from += index[a] * src->strides[a];
            q[e] = p[from];
            for (int a = s->rank - 1; a >= 0 && ++index[a] == s->shape[a]; a--) index[a] = 0;
          }
          free(p);
          out[k] = q;
        }
      }
      free(h.items);
      free(h.dims);
      free(h.text);
      free(b);
      return out;
    }

    """#
}
