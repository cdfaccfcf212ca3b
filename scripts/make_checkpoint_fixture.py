#!/usr/bin/env python3
"""Regenerates Tests/CircuitFileTests/Checkpoint/: a Hugging Face-style checkpoint for
hf_self_attention.circuit and the output numpy computes the way BERT does (numpy only)."""
import json, os, struct
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "CircuitFileTests", "Checkpoint")
rng = np.random.default_rng(7)
t, m, k, h = 5, 8, 2, 4

def linear(out_features, in_features):
    return (rng.standard_normal((out_features, in_features)) * 0.3).astype(np.float32), \
           (rng.standard_normal(out_features) * 0.1).astype(np.float32)

tensors = {}
for name in ["query", "key", "value"]:
    w, b = linear(h * k, m)
    tensors[f"attention.self.{name}.weight"] = w
    tensors[f"attention.self.{name}.bias"] = b
wo, bo = linear(m, h * k)
tensors["attention.output.dense.weight"] = wo
tensors["attention.output.dense.bias"] = bo
tensors["unused.pooler.weight"] = np.zeros((2, 2), np.float32)

x = rng.standard_normal((t, m)).astype(np.float32)

def project(name):  # [t, h*k] -> [h, t, k], heads major as in BERT's transpose_for_scores
    y = x @ tensors[f"attention.self.{name}.weight"].T + tensors[f"attention.self.{name}.bias"]
    return y.reshape(t, h, k).transpose(1, 0, 2)

q, kk, v = project("query"), project("key"), project("value")
scores = q @ kk.transpose(0, 2, 1) / np.sqrt(k)
scores = np.exp(scores - scores.max(-1, keepdims=True))
probs = scores / scores.sum(-1, keepdims=True)
context = (probs @ v).transpose(1, 0, 2).reshape(t, h * k)
out = context @ wo.T + bo

def write_safetensors(path, named):
    header, blobs, offset = {}, [], 0
    for name in sorted(named):
        data = np.ascontiguousarray(named[name]).tobytes()
        header[name] = {"dtype": "F32", "shape": list(named[name].shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))

write_safetensors(os.path.join(OUT, "hf_self_attention.safetensors"), tensors)
np.save(os.path.join(OUT, "hf_self_attention_x.npy"), x)
np.save(os.path.join(OUT, "hf_self_attention_expected.npy"), out.astype(np.float32))
print("written to", OUT)

# --- Two BERT encoder layers (hf_bert_encoder.circuit), computed as BertLayer does, with the
# LayerNorm epsilon of the circuit's stdlib LayerNorm (1e-5; Hugging Face's default is 1e-12).
rng = np.random.default_rng(11)
t, m, k, h, f = 6, 16, 4, 4, 32
bert = {}

def dense(prefix, out_features, in_features):
    bert[prefix + ".weight"] = (rng.standard_normal((out_features, in_features)) * 0.25).astype(np.float32)
    bert[prefix + ".bias"] = (rng.standard_normal(out_features) * 0.1).astype(np.float32)

def layer_norm_params(prefix):
    bert[prefix + ".weight"] = (1 + 0.1 * rng.standard_normal(m)).astype(np.float32)
    bert[prefix + ".bias"] = (0.1 * rng.standard_normal(m)).astype(np.float32)

for layer in range(2):
    p = f"encoder.layer.{layer}"
    for name in ["query", "key", "value"]:
        dense(f"{p}.attention.self.{name}", h * k, m)
    dense(f"{p}.attention.output.dense", m, h * k)
    layer_norm_params(f"{p}.attention.output.LayerNorm")
    dense(f"{p}.intermediate.dense", f, m)
    dense(f"{p}.output.dense", m, f)
    layer_norm_params(f"{p}.output.LayerNorm")
bert["pooler.dense.weight"] = np.zeros((m, m), np.float32)  # present in real checkpoints, unused

def layer_norm(x, prefix, eps=1e-5):
    x = x.astype(np.float64)
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * bert[prefix + ".weight"] + bert[prefix + ".bias"]

def linear(x, prefix):
    return x @ bert[prefix + ".weight"].T.astype(np.float64) + bert[prefix + ".bias"]

erf = np.vectorize(__import__("math").erf)
x0 = rng.standard_normal((t, m)).astype(np.float32)
x = x0.astype(np.float64)
for layer in range(2):
    p = f"encoder.layer.{layer}"
    def heads(name):
        return linear(x, f"{p}.attention.self.{name}").reshape(t, h, k).transpose(1, 0, 2)
    q, kk, v = heads("query"), heads("key"), heads("value")
    s = q @ kk.transpose(0, 2, 1) / np.sqrt(k)
    s = np.exp(s - s.max(-1, keepdims=True))
    a = s / s.sum(-1, keepdims=True)
    context = (a @ v).transpose(1, 0, 2).reshape(t, h * k)
    x = layer_norm(x + linear(context, f"{p}.attention.output.dense"), f"{p}.attention.output.LayerNorm")
    inner = linear(x, f"{p}.intermediate.dense")
    inner = 0.5 * inner * (1 + erf(inner / np.sqrt(2)))
    x = layer_norm(x + linear(inner, f"{p}.output.dense"), f"{p}.output.LayerNorm")

write_safetensors(os.path.join(OUT, "hf_bert_encoder.safetensors"), bert)
np.save(os.path.join(OUT, "hf_bert_encoder_x.npy"), x0)
np.save(os.path.join(OUT, "hf_bert_encoder_expected.npy"), x.astype(np.float32))

# --- examples/bert.circuit with a Hugging Face BertModel checkpoint loaded by name alone (no
# map: the stdlib declares PyTorch's names and [out, in] storage order) and a padded batch:
# sequence 1 has 4 real tokens and 2 padding tokens, dropped by the additive mask (-inf). The
# expected output is computed on each sequence WITHOUT its padding (numpy, float64), so the
# test shows that the padded batch equals the unpadded results. Reuses the helpers above
# (they read the globals `bert`, `rng` and `m`).
# BertModel normalises with Hugging Face's eps 1e-12, which examples/bert.circuit passes to
# the stdlib LayerNorm (`LayerNorm(X, eps: 1e-12)`).
rng = np.random.default_rng(13)
b, t, m, h, f, v, npos, N = 2, 6, 16, 4, 32, 50, 16, 2
BERT_EPS = 1e-12
k = m // h
bert = {}
bert["embeddings.word_embeddings.weight"] = (rng.standard_normal((v, m)) * 0.5).astype(np.float32)
bert["embeddings.position_embeddings.weight"] = (rng.standard_normal((npos, m)) * 0.5).astype(np.float32)
bert["embeddings.token_type_embeddings.weight"] = (rng.standard_normal((2, m)) * 0.5).astype(np.float32)
layer_norm_params("embeddings.LayerNorm")
for layer in range(N):
    p = f"encoder.layer.{layer}"
    for name in ["query", "key", "value"]:
        dense(f"{p}.attention.self.{name}", m, m)
    dense(f"{p}.attention.output.dense", m, m)
    layer_norm_params(f"{p}.attention.output.LayerNorm")
    dense(f"{p}.intermediate.dense", f, m)
    dense(f"{p}.output.dense", m, f)
    layer_norm_params(f"{p}.output.LayerNorm")
dense("pooler.dense", m, m)  # in real checkpoints, unused by the circuit

lengths = [6, 4]
ids = rng.integers(1, v, size=(b, t)).astype(np.int32)
types = rng.integers(0, 2, size=(b, t)).astype(np.int32)
mask = np.zeros((b, t), np.float32)
for s, n in enumerate(lengths):
    ids[s, n:] = 0      # [PAD]
    types[s, n:] = 0
    mask[s, n:] = -np.inf

def encode(seq_ids, seq_types):
    """BertModel on one unpadded sequence, then the mean over its tokens."""
    n = len(seq_ids)
    x = bert["embeddings.word_embeddings.weight"][seq_ids].astype(np.float64) \
        + bert["embeddings.token_type_embeddings.weight"][seq_types] \
        + bert["embeddings.position_embeddings.weight"][:n]
    x = layer_norm(x, "embeddings.LayerNorm", BERT_EPS)
    for layer in range(N):
        p = f"encoder.layer.{layer}"
        q, kk, vv = (linear(x, f"{p}.attention.self.{name}").reshape(n, h, k).transpose(1, 0, 2)
                     for name in ["query", "key", "value"])
        s = q @ kk.transpose(0, 2, 1) / np.sqrt(k)
        s = np.exp(s - s.max(-1, keepdims=True))
        a = s / s.sum(-1, keepdims=True)
        context = (a @ vv).transpose(1, 0, 2).reshape(n, m)
        x = layer_norm(x + linear(context, f"{p}.attention.output.dense"), f"{p}.attention.output.LayerNorm", BERT_EPS)
        inner = linear(x, f"{p}.intermediate.dense")
        inner = 0.5 * inner * (1 + erf(inner / np.sqrt(2)))
        x = layer_norm(x + linear(inner, f"{p}.output.dense"), f"{p}.output.LayerNorm", BERT_EPS)
    return x.mean(0)

expected = np.stack([encode(ids[s, :n], types[s, :n]) for s, n in enumerate(lengths)])
write_safetensors(os.path.join(OUT, "hf_bert_model.safetensors"), bert)
np.save(os.path.join(OUT, "hf_bert_model_ids.npy"), ids)
np.save(os.path.join(OUT, "hf_bert_model_types.npy"), types)
np.save(os.path.join(OUT, "hf_bert_model_mask.npy"), mask)
np.save(os.path.join(OUT, "hf_bert_model_expected.npy"), expected.astype(np.float32))
