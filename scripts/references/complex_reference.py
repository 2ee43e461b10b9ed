#!/usr/bin/env python3
"""Writes the reference values of nabla-core's ComplexReferenceTest: complex64/complex128 ops and the FFT family from
NumPy (np.fft computes in complex128; complex64 results are rounded once, as Nabla's kernels do), and gradients of real
losses of complex inputs from PyTorch autograd. PyTorch documents its complex gradient as the conjugate Wirtinger
derivative (times 2 for a real loss: dL/dx + i dL/dy), the value tf.GradientTape returns.

Complex arrays are written interleaved (re0, im0, re1, im1...) as float.hex strings; shapes as lists.

Run with the peers' venv:
  ~/.cache/nabla-peers/venv/bin/python scripts/references/complex_reference.py \
      > nabla-core/src/test/resources/complex/complex_reference.json
"""
import json

import numpy as np
import torch

rng = np.random.default_rng(15)
CTYPES = {"complex64": np.complex64, "complex128": np.complex128}
RTYPES = {"complex64": np.float32, "complex128": np.float64}


def hexes(a):
    a = np.asarray(a)
    if np.iscomplexobj(a):
        flat = np.stack([a.real.reshape(-1), a.imag.reshape(-1)], axis=1).reshape(-1)
    else:
        flat = a.reshape(-1)
    return [float(v).hex() for v in flat.astype(np.float64)]


def tensor(a):
    a = np.asarray(a)
    return {"dtype": str(a.dtype), "shape": list(a.shape), "values": hexes(a)}


def crandom(shape):
    return rng.normal(size=shape) + 1j * rng.normal(size=shape)


values = []


def case(op, inputs, output, **attrs):
    values.append({"op": op, "inputs": [tensor(x) for x in inputs], "attrs": attrs, "output": tensor(output)})


special = np.array([1 + 2j, -4 + 0j, -4 - 0j, 0j, 3 - 4j, -0.5 + 0.25j, 2e-3 - 7j, -1e3 + 1e-3j, 0.5 + 0.5j])
for name, ct in CTYPES.items():
    rt = RTYPES[name]
    z = crandom((2, 3)).astype(ct)
    w = crandom((2, 3)).astype(ct)
    v = crandom((3,)).astype(ct)
    s = special.astype(ct)
    for x in (z, s):
        case("Real", [x], x.real)
        case("Imag", [x], x.imag)
        case("Conj", [x], np.conj(x))
        case("ComplexAbs", [x], np.abs(x))
        case("Angle", [x], np.angle(x))
        case("Neg", [x], -x)
        case("Square", [x], np.square(x))
        case("Exp", [x], np.exp(x.astype(np.complex128)).astype(ct))
        case("Sqrt", [x], np.sqrt(x.astype(np.complex128)).astype(ct))
    nz = s[np.abs(s) > 0]
    case("Log", [nz], np.log(nz.astype(np.complex128)).astype(ct))
    case("Log", [z], np.log(z.astype(np.complex128)).astype(ct))
    for a, b in ((z, w), (z, v)):
        wide = (a.astype(np.complex128), b.astype(np.complex128))
        case("Add", [a, b], (wide[0] + wide[1]).astype(ct))
        case("Sub", [a, b], (wide[0] - wide[1]).astype(ct))
        case("Mul", [a, b], (wide[0] * wide[1]).astype(ct))
        case("Div", [a, b], (wide[0] / wide[1]).astype(ct))
    e = z.copy()
    e[0, 1] = w[0, 1]
    case("Equal", [z, e], z == e)
    case("NotEqual", [z, e], z != e)
    re, im = rng.normal(size=(2, 3)).astype(rt), rng.normal(size=(3,)).astype(rt)
    case("Complex", [re, im], (re + 1j * im.astype(np.complex128)).astype(ct))
    a, b = crandom((2, 3)).astype(ct), crandom((3, 4)).astype(ct)
    wa, wb = a.astype(np.complex128), b.astype(np.complex128)
    case("MatMul", [a, b], (wa @ wb).astype(ct), transposeA=False, transposeB=False)
    case("MatMul", [a, b.T.copy()], (wa @ wb).astype(ct), transposeA=False, transposeB=True)
    case("MatMul", [a.T.copy(), b], (wa @ wb).astype(ct), transposeA=True, transposeB=False)
    ba, bb = crandom((2, 2, 3)).astype(ct), crandom((3, 2)).astype(ct)
    case("MatMul", [ba, bb], (ba.astype(np.complex128) @ bb.astype(np.complex128)).astype(ct),
         transposeA=False, transposeB=False)
    x = crandom((2, 3, 4)).astype(ct)
    wx = x.astype(np.complex128)
    for axes, keep in (([], False), ([0], False), ([1], True), ([0, 2], False), ([-1], False)):
        ax = tuple(axes) if axes else None
        case("Sum", [x], wx.sum(axis=ax, keepdims=keep).astype(ct), axes=axes, keepDims=keep)
        case("Mean", [x], wx.mean(axis=ax, keepdims=keep).astype(ct), axes=axes, keepDims=keep)
        case("Prod", [x], wx.prod(axis=ax, keepdims=keep).astype(ct), axes=axes, keepDims=keep)
    # tf.cast: real -> complex sets imag 0; complex -> real keeps the real part
    r = rng.normal(size=(5,)).astype(rt)
    case("Cast", [r], r.astype(ct), dtype=name)
    case("Cast", [z], z.real, dtype=str(np.dtype(rt)))
    other = "complex128" if name == "complex64" else "complex64"
    case("Cast", [z], z.astype(CTYPES[other]), dtype=other)
    case("Cast", [np.array([1, -2, 3], dtype=np.int32)], np.array([1, -2, 3]).astype(ct), dtype=name)
    # FFT family: np.fft in complex128, rounded once for complex64
    for n in (1, 2, 3, 5, 8, 12, 17, 64, 100):
        x = crandom((2, n)).astype(ct)
        wx = x.astype(np.complex128)
        case("FFT", [x], np.fft.fft(wx).astype(ct))
        case("IFFT", [x], np.fft.ifft(wx).astype(ct))
        r = rng.normal(size=(2, n)).astype(rt)
        case("RFFT", [r], np.fft.rfft(r.astype(np.float64)).astype(ct), fftLength=[])
    for shape in ((2, 3, 5), (4, 8), (1, 6, 7)):
        x = crandom(shape).astype(ct)
        wx = x.astype(np.complex128)
        case("FFT2D", [x], np.fft.fft2(wx).astype(ct))
        case("IFFT2D", [x], np.fft.ifft2(wx).astype(ct))
    r = rng.normal(size=(3, 10)).astype(rt)
    for n in (8, 12, 10, 7):
        case("RFFT", [r], np.fft.rfft(r.astype(np.float64), n=n).astype(ct), fftLength=[n])
    for bins, n in ((5, None), (5, 8), (5, 9), (9, 8), (3, 8), (2, None)):
        x = crandom((2, bins)).astype(ct)
        got = np.fft.irfft(x.astype(np.complex128), n=n)
        case("IRFFT", [x], got.astype(rt), fftLength=[] if n is None else [n])
    r2 = rng.normal(size=(2, 4, 6)).astype(rt)
    case("RFFT2D", [r2], np.fft.rfft2(r2.astype(np.float64)).astype(ct), fftLength=[])
    case("RFFT2D", [r2], np.fft.rfft2(r2.astype(np.float64), s=(5, 5)).astype(ct), fftLength=[5, 5])
    x2 = crandom((2, 4, 4)).astype(ct)
    case("IRFFT2D", [x2], np.fft.irfft2(x2.astype(np.complex128)).astype(rt), fftLength=[])
    case("IRFFT2D", [x2], np.fft.irfft2(x2.astype(np.complex128), s=(3, 7)).astype(rt), fftLength=[3, 7])

# Gradients of real losses (float64 / complex128), from PyTorch autograd.
gradients = []


def tt(a):
    return torch.tensor(a, requires_grad=True)


def grad_case(name, losses, *inputs):
    ts = [tt(x) for x in inputs]
    loss = losses(*ts)
    grads = torch.autograd.grad(loss, ts)
    gradients.append({"loss": name, "inputs": [tensor(x) for x in inputs],
                      "value": float(loss.detach()).hex(), "grads": [tensor(g.numpy()) for g in grads]})


z, w = crandom((2, 3)), crandom((2, 3))
v = crandom((3,))
r = rng.normal(size=(2, 3))
grad_case("sum_abs", lambda z: z.abs().sum(), z)
grad_case("sum_real_mul", lambda z, w: (z * w).real.sum(), z, w)
grad_case("sum_abs_mul_broadcast", lambda z, v: (z * v).abs().sum(), z, v)
grad_case("sum_abs_div", lambda z, w: (z / w).abs().sum(), z, w)
grad_case("sum_imag_exp", lambda z: torch.exp(z).imag.sum(), z)
grad_case("sum_abs_log", lambda z: torch.log(z).abs().sum(), z)
grad_case("sum_real_sqrt", lambda z: torch.sqrt(z).real.sum(), z)
grad_case("sum_angle", lambda z: torch.angle(z).sum(), z)
grad_case("sum_real_square_conj", lambda z: (torch.square(z) * torch.conj(z)).real.sum(), z)
grad_case("sum_abs_neg_sub_add", lambda z, w: (-(z - w) + z * z).abs().sum(), z, w)
grad_case("sum_abs_complex", lambda a, b: torch.complex(a, b).abs().sum(), rng.normal(size=(2, 3)),
          rng.normal(size=(2, 3)))
grad_case("sum_real_times_r_plus_imag", lambda z, r: (z.real * r).sum() + (z.imag * z.imag).sum(), z, r)
grad_case("sum_abs_matmul", lambda a, b: (a @ b).abs().sum(), crandom((2, 3)), crandom((3, 4)))
grad_case("sum_abs_prod", lambda z: torch.prod(z, dim=1).abs().sum(), crandom((2, 3)))
grad_case("abs_mean", lambda z: torch.mean(z * z).abs(), z)
grad_case("sum_abs_cast_mul", lambda x, w: (x.to(torch.complex128) * w).abs().sum(), rng.normal(size=(2, 3)), w)
for n in (8, 6, 5):
    zz = crandom((2, n))
    grad_case("sum_abs_fft", lambda z: torch.fft.fft(z).abs().sum(), zz)
    grad_case("sum_abs_ifft", lambda z: torch.fft.ifft(z).abs().sum(), zz)
    rr = rng.normal(size=(2, n))
    grad_case("sum_abs_rfft", lambda x: torch.fft.rfft(x).abs().sum(), rr)
zz = crandom((2, 3, 4))
grad_case("sum_abs_fft2d", lambda z: torch.fft.fft2(z).abs().sum(), zz)
grad_case("sum_abs_ifft2d", lambda z: torch.fft.ifft2(z).abs().sum(), zz)
grad_case("sum_abs_rfft2d", lambda x: torch.fft.rfft2(x).abs().sum(), rng.normal(size=(2, 4, 5)))
grad_case("sum_abs_rfft_n8", lambda x: torch.fft.rfft(x, n=8).abs().sum(), rng.normal(size=(2, 6)))
grad_case("sum_abs_rfft_n4", lambda x: torch.fft.rfft(x, n=4).abs().sum(), rng.normal(size=(2, 6)))
# irfft: a weighted sum of the real output. PyTorch, like TF, reads the imaginary parts of the DC and Nyquist bins
# as absent (their gradient is 0).
for bins, n in ((5, 8), (5, 9), (4, 6)):
    zz = crandom((2, bins))
    weights = rng.normal(size=(2, n))
    grad_case("sum_weighted_irfft_n%d" % n, lambda z, wt: (torch.fft.irfft(z, n=n) * wt).sum(), zz, weights)
grad_case("sum_weighted_irfft2d", lambda z, wt: (torch.fft.irfft2(z) * wt).sum(), crandom((2, 3, 4)),
          rng.normal(size=(2, 3, 6)))

# NumPy's str() of complex arrays and scalars (what TensorFlow prints inside tf.Tensor(...))
printing = []
for arr in (np.array([1 + 2j, 3 - 4.5j]), np.array([0j, 0j], dtype=np.complex64),
            np.array([complex(1, np.nan), complex(np.inf, -2), complex(-np.inf, 0)]),
            np.array([1e-5 + 1j, 100 + 2e3j]), (rng.normal(size=(2, 3)) + 1j * rng.normal(size=(2, 3))).astype(np.complex64),
            rng.normal(size=(2, 3)) + 1j * rng.normal(size=(2, 3)), np.array([0.1 + 0.2j, -0.0 - 1j], dtype=np.complex64),
            (np.arange(24).reshape(2, 3, 4) * (1 - 0.5j)).astype(np.complex128),
            np.array(1 + 2j), np.array(2j, dtype=np.complex64), np.array(-0.5 + 0j), np.array(0.1 + 0.2j, dtype=np.complex64),
            np.array(complex(1e20, -1e-7))):
    printing.append({"tensor": tensor(arr), "str": str(arr)})

# .npy files as NumPy writes them (np.save), as hex bytes: <c8 and <c16, and a big-endian >c8
import io


def npy_hex(a):
    buf = io.BytesIO()
    np.save(buf, a)
    return buf.getvalue().hex()


npy = []
for a in (np.array([[1 + 2j, -0.5j], [np.inf - 1j, 3.25 + 0j]], dtype=np.complex64),
          np.array([1e-300 + 2j, -7 + 1e300j, 0.1 + 0.2j], dtype=np.complex128),
          np.array([1 + 2j, 3 - 4j], dtype=">c8")):
    npy.append({"tensor": tensor(a.astype(a.dtype.newbyteorder("="))), "bytes": npy_hex(a)})

print(json.dumps({"numpy": np.__version__, "torch": torch.__version__, "values": values, "gradients": gradients,
                  "printing": printing, "npy": npy}, indent=None))
