#!/usr/bin/env python3
"""Calls a running `nabla serve` over TensorFlow Serving's gRPC API with grpcio, as a TensorFlow Serving client would.

usage: serving-grpc-client.py HOST:PORT MODEL_NAME [PROTOSET]

The messages come from the repository's .proto files (nabla-serving/src/main/proto): compiled here by grpcio-tools
when it is installed, else read from PROTOSET, the descriptor set protoc wrote from the same files during the Maven
build (nabla-serving/target/generated-resources/protobuf/descriptor-sets/tensorflow-serving.protoset); the
protobuf runtime's descriptor API builds the message classes and grpc's generic unary calls send them, so no
generated stubs are needed. The model must have one float input of shape (None, K).
Checks GetModelStatus, GetModelMetadata, Predict with float_val and with tensor_content (both must agree), an unknown
model (NOT_FOUND) and a wrong dtype (INVALID_ARGUMENT); prints one line per check and, last, the predictions as JSON
for the caller to check; exits 1 on the first failure.
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROTO_DIR = os.path.join(ROOT, "nabla-serving", "src", "main", "proto")


def descriptor_set(protoset):
    """The FileDescriptorSet of the .proto files: compiled by grpcio-tools if present, else read from protoset."""
    try:
        from grpc_tools import protoc
        import grpc_tools
    except ImportError:
        if not protoset or not os.path.isfile(protoset):
            sys.exit(f"no grpcio-tools and no descriptor set at {protoset}; build nabla-serving first")
        print(f"messages: from the descriptor set {os.path.basename(protoset)} (no grpcio-tools)")
        with open(protoset, "rb") as f:
            return descriptor_pb2.FileDescriptorSet.FromString(f.read())
    files = [os.path.relpath(os.path.join(d, n), PROTO_DIR)
             for d, _, names in os.walk(PROTO_DIR) for n in names if n.endswith(".proto")]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "set.protoset")
        include = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
        if protoc.main(["protoc", f"-I{PROTO_DIR}", f"-I{include}", f"--descriptor_set_out={out}",
                        "--include_imports", *files]) != 0:
            sys.exit("protoc (grpcio-tools) failed on " + PROTO_DIR)
        print("messages: compiled from the .proto files by grpcio-tools")
        with open(out, "rb") as f:
            return descriptor_pb2.FileDescriptorSet.FromString(f.read())


class Api:
    """The message classes and the unary calls of PredictionService and ModelService."""

    def __init__(self, fds, channel):
        pool = descriptor_pool.DescriptorPool()
        for f in fds.file:            # protoc writes a file after the files it imports
            pool.Add(f)
        self.msg = lambda name: message_factory.GetMessageClass(pool.FindMessageTypeByName(name))
        self.data_type = pool.FindEnumTypeByName("tensorflow.DataType").values_by_name
        self.state = pool.FindEnumTypeByName("tensorflow.serving.ModelVersionStatus.State").values_by_number
        self.channel = channel

    def call(self, service, method, request, response):
        rpc = self.channel.unary_unary(f"/tensorflow.serving.{service}/{method}",
                                       request_serializer=lambda m: m.SerializeToString(),
                                       response_deserializer=self.msg(f"tensorflow.serving.{response}").FromString)
        return rpc(request, timeout=30)


def main():
    target, name = sys.argv[1], sys.argv[2]
    protoset = sys.argv[3] if len(sys.argv) > 3 else os.path.join(
        ROOT, "nabla-serving", "target", "generated-resources", "protobuf", "descriptor-sets",
        "tensorflow-serving.protoset")
    with grpc.insecure_channel(target) as channel:
        api = Api(descriptor_set(protoset), channel)

        status = api.call("ModelService", "GetModelStatus",
                          api.msg("tensorflow.serving.GetModelStatusRequest")(model_spec={"name": name}),
                          "GetModelStatusResponse")
        states = [(s.version, api.state[s.state].name) for s in status.model_version_status]
        assert states and all(st == "AVAILABLE" for _, st in states), states
        print(f"status: {states}")

        meta = api.call("PredictionService", "GetModelMetadata",
                        api.msg("tensorflow.serving.GetModelMetadataRequest")(
                            model_spec={"name": name}, metadata_field=["signature_def"]),
                        "GetModelMetadataResponse")
        sig_map = api.msg("tensorflow.serving.SignatureDefMap")()
        assert meta.metadata["signature_def"].Unpack(sig_map), meta.metadata["signature_def"].type_url
        sig = sig_map.signature_def["serving_default"]
        (in_name, info), = sig.inputs.items()
        dims = [d.size for d in info.tensor_shape.dim]
        assert info.dtype == api.data_type["DT_FLOAT"].number and len(dims) == 2, (info, dims)
        print(f"metadata: input {in_name} {dims}, outputs {sorted(sig.outputs)}")

        k = dims[1]
        rows = [[(i + 1) * 0.5 - j for j in range(k)] for i in range(2)]
        flat = [v for r in rows for v in r]
        shape = {"dim": [{"size": 2}, {"size": k}]}
        request = api.msg("tensorflow.serving.PredictRequest")
        typed = request(model_spec={"name": name, "signature_name": "serving_default"},
                        inputs={in_name: {"dtype": "DT_FLOAT", "tensor_shape": shape, "float_val": flat}})
        packed = request(model_spec={"name": name},
                         inputs={in_name: {"dtype": "DT_FLOAT", "tensor_shape": shape,
                                           "tensor_content": struct.pack(f"<{len(flat)}f", *flat)}})
        a = api.call("PredictionService", "Predict", typed, "PredictResponse")
        b = api.call("PredictionService", "Predict", packed, "PredictResponse")
        out_name = sorted(a.outputs)[0]
        ya, yb = list(a.outputs[out_name].float_val), list(b.outputs[out_name].float_val)
        assert ya == yb and len(ya) > 0, (ya, yb)
        out_dims = [d.size for d in a.outputs[out_name].tensor_shape.dim]
        print(f"predict: float_val and tensor_content agree, output {out_name} {out_dims}, "
              f"version {a.model_spec.version.value}")

        for bad, code in ((request(model_spec={"name": "no-such-model"}, inputs=typed.inputs), "NOT_FOUND"),
                          (request(model_spec={"name": name}, inputs={in_name: {
                              "dtype": "DT_DOUBLE", "tensor_shape": shape, "double_val": flat}}), "INVALID_ARGUMENT")):
            try:
                api.call("PredictionService", "Predict", bad, "PredictResponse")
                sys.exit(f"expected {code}, the call succeeded")
            except grpc.RpcError as e:
                assert e.code().name == code, (e.code(), e.details())
                print(f"refused: {code}: {e.details()}")

        print(json.dumps({"inputs": rows, "outputs": [ya[i * out_dims[1]:(i + 1) * out_dims[1]]
                                                      for i in range(out_dims[0])]}))


if __name__ == "__main__":
    main()
