#!/usr/bin/env python3
"""Writes examples/data/digits_train.npz and digits_test.npz from scikit-learn's bundled 8x8
digits (1,797 images shipped inside the scikit-learn package: nothing is downloaded at run
time beyond the package itself).

Arrays: X f32 [n, 8, 8] (pixel values 0..16 scaled to 0..1), Y f32 [n, 10] one-hot labels.
Split: a fixed permutation (seed 0); the first 1,437 examples train, the last 360 test.
Run from the package root: python3 scripts/make_digits.py
(installs scikit-learn with pip if it is missing).
"""
import os
import subprocess
import sys

try:
    from sklearn.datasets import load_digits
except ImportError:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "scikit-learn"])
    from sklearn.datasets import load_digits
import numpy as np

digits = load_digits()
images = (digits.images / 16.0).astype(np.float32)            # [1797, 8, 8]
labels = np.eye(10, dtype=np.float32)[digits.target]          # [1797, 10]
order = np.random.default_rng(0).permutation(len(images))
train, test = order[:1437], order[1437:]
os.makedirs("examples/data", exist_ok=True)
np.savez_compressed("examples/data/digits_train.npz", X=images[train], Y=labels[train])
np.savez_compressed("examples/data/digits_test.npz", X=images[test], Y=labels[test])
print("train", images[train].shape, "test", images[test].shape)
