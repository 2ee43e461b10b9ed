#!/usr/bin/env python3
"""Checks Nabla's TensorFlow Serving .proto files against TensorFlow's own definitions where this machine has them.

usage: check-tf-protos.py PROTOSET

TensorBoard carries copies of TensorFlow's tensor.proto, tensor_shape.proto, types.proto and meta_graph.proto
(package tensorboard, same field names and numbers). For every message and enum of Nabla's files (the descriptor set
the build writes, PROTOSET) that TensorBoard's copies also define, each field Nabla declares must have the same
number, type and repetition there, and each enum value the same number: then the bytes on the wire mean the same thing.
Prints one line per message checked and exits 1 listing every difference; exits 3 when TensorBoard is absent.
"""
import sys

from google.protobuf import descriptor_pb2, descriptor_pool

try:
    from tensorboard.compat.proto import meta_graph_pb2, tensor_pb2, tensor_shape_pb2, types_pb2
except ImportError:
    print("tensorboard's compat protos are not installed")
    sys.exit(3)

TF = {
    "tensorflow.TensorProto": tensor_pb2.TensorProto.DESCRIPTOR,
    "tensorflow.TensorShapeProto": tensor_shape_pb2.TensorShapeProto.DESCRIPTOR,
    "tensorflow.TensorShapeProto.Dim": tensor_shape_pb2.TensorShapeProto.Dim.DESCRIPTOR,
    "tensorflow.TensorInfo": meta_graph_pb2.TensorInfo.DESCRIPTOR,
    "tensorflow.SignatureDef": meta_graph_pb2.SignatureDef.DESCRIPTOR,
}
TF_ENUMS = {"tensorflow.DataType": types_pb2.DataType.DESCRIPTOR}


def main():
    with open(sys.argv[1], "rb") as f:
        fds = descriptor_pb2.FileDescriptorSet.FromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for fd in fds.file:
        pool.Add(fd)
    problems = []
    for name, theirs in TF.items():
        ours = pool.FindMessageTypeByName(name)
        for field in ours.fields:
            other = theirs.fields_by_name.get(field.name)
            if other is None:
                problems.append(f"{name}.{field.name}: not in TensorFlow's definition")
                continue
            for what in ("number", "type", "is_repeated"):
                if getattr(field, what) != getattr(other, what):
                    problems.append(f"{name}.{field.name}: {what} {getattr(field, what)}, TensorFlow's "
                                    f"{getattr(other, what)}")
        print(f"{name}: {len(ours.fields)} fields match")
    for name, theirs in TF_ENUMS.items():
        ours = pool.FindEnumTypeByName(name)
        for value in ours.values:
            other = theirs.values_by_name.get(value.name)
            if other is None or other.number != value.number:
                problems.append(f"{name}.{value.name} = {value.number}, TensorFlow's "
                                f"{other.number if other else 'absent'}")
        print(f"{name}: {len(ours.values)} values match")
    if problems:
        print("\n".join(problems))
        sys.exit(1)


if __name__ == "__main__":
    main()
