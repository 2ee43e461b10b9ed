#!/usr/bin/env python3
"""Writes the reference values of the sparse-tensor tests (nabla-core SparseTorchReferenceTest) from PyTorch's
sparse COO tensors, float64: forward results as dense arrays and the gradients of a weighted sum of each result
w.r.t. the values (in the input's entry order) and the dense operands.

Run with a Python that has torch (e.g. ~/.cache/nabla-peers/venv, see scripts/compare-peers.sh):
  python scripts/references/torch_sparse_reference.py > nabla-core/src/test/resources/sparse/torch_sparse.json
"""
import json
import torch

torch.manual_seed(7)
D = torch.float64


def sparse(indices, values, shape):
    """A COO tensor; the invariants are checked (indices inside the shape)."""
    return torch.sparse_coo_tensor(torch.tensor(indices, dtype=torch.long).t(), values, shape,
                                   check_invariants=True)


def leaf(n):
    return (torch.rand(n, dtype=D) * 1.6 - 0.8).requires_grad_()


def dense_leaf(*shape):
    return (torch.rand(*shape, dtype=D) * 1.6 - 0.8).requires_grad_()


def weighted(out):
    w = torch.rand(out.shape, dtype=D) + 0.5
    return (out * w).sum(), w


cases = []


def record(name, **kw):
    out = {"name": name}
    for k, v in kw.items():
        if isinstance(v, torch.Tensor):
            v = v.detach()
            out[k] = {"shape": list(v.shape), "data": v.reshape(-1).tolist()}
        else:
            out[k] = v
    cases.append(out)


# An unordered 3x4 matrix, and a 2x3x4 tensor.
IDX = [[2, 1], [0, 3], [1, 0], [0, 0], [2, 3]]
IDX3 = [[1, 2, 0], [0, 0, 3], [1, 0, 1], [0, 2, 2]]

vals = leaf(len(IDX))
a = sparse(IDX, vals, (3, 4))
dense = a.to_dense()
loss, w = weighted(dense)
loss.backward()
record("to_dense", indices=IDX, values=vals, shape=[3, 4], out=dense, weights=w, grad_values=vals.grad)

x = torch.tensor([[0.0, 1.5, 0.0], [-2.0, 0.0, 0.25]], dtype=D)
s = x.to_sparse().coalesce()
record("from_dense", x=x, indices=s.indices().t().tolist(), out_values=s.values())

vals = leaf(len(IDX))
b = dense_leaf(3, 4)
out = b + sparse(IDX, vals, (3, 4))
loss, w = weighted(out)
loss.backward()
record("dense_add", indices=IDX, values=vals, shape=[3, 4], b=b, out=out, weights=w, grad_values=vals.grad,
       grad_b=b.grad)

for adj_a in (False, True):
    for adj_b in (False, True):
        vals = leaf(len(IDX))
        a = sparse(IDX, vals, (3, 4))
        op_a = a.t() if adj_a else a               # op(a): 3x4 or 4x3
        k = op_a.shape[1]
        b = dense_leaf(2, k) if adj_b else dense_leaf(k, 2)
        out = torch.sparse.mm(op_a, b.t() if adj_b else b)
        loss, w = weighted(out)
        loss.backward()
        record("matmul", indices=IDX, values=vals, shape=[3, 4], b=b, adjoint_a=adj_a, adjoint_b=adj_b, out=out,
               weights=w, grad_values=vals.grad, grad_b=b.grad)

for axes in ([0], [1], [2], [0, 2], [-1], []):
    vals = leaf(len(IDX3))
    a = sparse(IDX3, vals, (2, 3, 4))
    out = torch.sparse.sum(a, dim=axes) if axes else torch.sparse.sum(a)
    out = out.to_dense() if out.is_sparse else out
    loss, w = weighted(out)
    loss.backward()
    record("reduce_sum", indices=IDX3, values=vals, shape=[2, 3, 4], axes=axes, out=out, weights=w,
           grad_values=vals.grad)

vals = leaf(len(IDX))
c = sparse(IDX, vals.detach(), (3, 4)).coalesce()    # row-major order, as SparseReorder gives
w = torch.rand(len(IDX), dtype=D) + 0.5
order = [tuple(r) for r in c.indices().t().tolist()]
# the gradient of sum(w * reordered values) is w put back in the input's order (no autograd through coalesce)
grad = torch.tensor([w[order.index(tuple(r))].item() for r in IDX], dtype=D)
record("reorder", indices=IDX, values=vals, shape=[3, 4], out_indices=c.indices().t().tolist(),
       out_values=c.values(), weights=w, grad_values=grad)

for start, size in (([1, 0], [2, 3]), ([0, 2], [5, 5]), ([2, 3], [1, 1])):
    vals = leaf(len(IDX))
    a = sparse(IDX, vals, (3, 4))
    sl = a
    for d in range(2):
        length = max(0, min(size[d], a.shape[d] - start[d]))
        sl = sl.narrow_copy(d, start[d], length)
    out = sl.to_dense()
    w = torch.rand(out.shape, dtype=D) + 0.5
    # no autograd through narrow_copy of a sparse tensor: the gradient of sum(w * slice) by hand, from w
    grad = torch.tensor([w[r[0] - start[0], r[1] - start[1]].item()
                         if all(0 <= r[d] - start[d] < out.shape[d] for d in range(2)) else 0.0 for r in IDX], dtype=D)
    vals.grad = grad
    record("slice", indices=IDX, values=vals, shape=[3, 4], start=start, size=size, out=out, weights=w,
           grad_values=vals.grad)

for axis in (0, 1):
    v1, v2 = leaf(len(IDX)), leaf(2)
    a = sparse(IDX, v1, (3, 4))
    IDX_B = [[1, 1], [0, 0]]
    bshape = (2, 4) if axis == 0 else (3, 2)
    b = sparse(IDX_B, v2, bshape)
    out = torch.cat([a.detach(), b.detach()], dim=axis).to_dense()   # the sparse cat, for the values
    # the gradients through dense copies (no autograd through a sparse cat), which hold the same values
    loss, w = weighted(torch.cat([a.to_dense(), b.to_dense()], dim=axis))
    loss.backward()
    record("concat", axis=axis, indices=IDX, values=v1, shape=[3, 4], indices_b=IDX_B, values_b=v2,
           shape_b=list(bshape), out=out, weights=w, grad_values=v1.grad, grad_values_b=v2.grad)

print(json.dumps({"torch": torch.__version__, "cases": cases}, indent=1))
