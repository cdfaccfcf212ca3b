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
