"""KServe V1 and Open Inference Protocol (V2) answers, probes before and after loading, and /model-card."""
import importlib.util

import pytest

from conftest import A_ROW, B_ROW, C_ROW


def v2_body(rows, datatype="FP32", **extra):
    return {"inputs": [{"name": "input-0", "shape": [len(rows), len(rows[0])], "datatype": datatype, "data": rows}], **extra}


def test_probes_before_and_after_loading(make_server, classifier_dir):
    s = make_server(classifier_dir, load=False)
    assert s.client.get("/healthz").json() == {"live": True}
    assert s.client.get("/v2/health/live").json() == {"live": True}
    not_ready = s.client.get("/readyz")
    assert (not_ready.status_code, not_ready.json()) == (503, {"ready": False})
    assert s.client.get("/v2/health/ready").status_code == 503
    assert s.client.get("/v1/models/model").json() == {"name": "model", "ready": False}
    predict = s.client.post("/v1/models/model:predict", json={"instances": [A_ROW]})
    assert (predict.status_code, predict.json()) == (503, {"error": "model 'model' is not ready"})
    assert s.client.get("/model-card").status_code == 503

    s.state.load()
    assert (s.client.get("/readyz").status_code, s.client.get("/readyz").json()) == (200, {"ready": True})
    assert s.client.get("/v2/health/ready").json() == {"ready": True}
    assert s.client.get("/v2/models/model/ready").json() == {"name": "model", "ready": True}
    assert s.client.get("/v1/models/model").status_code == 200
    assert s.client.get("/model-card").json()["variant"] == "v7"


def test_v1_predict_answers_class_names(make_server, classifier_dir):
    s = make_server(classifier_dir, MODEL_NAME="iris")
    assert s.client.get("/v1/models").json() == {"models": ["iris"]}
    r = s.client.post("/v1/models/iris:predict", json={"instances": [A_ROW, C_ROW, B_ROW]})
    assert r.status_code == 200
    assert r.json() == {"predictions": ["a", "c", "b"]}


@pytest.mark.parametrize(
    "body, reason",
    [
        ("{not json", "the body is not valid JSON"),
        ('{"rows": [[1, 2, 3, 4]]}', 'the body must be a JSON object with "instances": a list of rows of 4 numbers'),
        ('{"instances": []}', '"instances" must be a non-empty list of rows of 4 numbers'),
        ('{"instances": [[1, 2, 3]]}', "instances[0] must be a list of 4 numbers"),
        ('{"instances": [[1, 2, 3, 4], [1, 2]]}', "instances[1] must be a list of 4 numbers"),
        ('{"instances": [[1, 2, "x", 4]]}', 'instances[0][2] is "x", not a number'),
        ('{"instances": [[1, 2, true, 4]]}', "instances[0][2] is true, not a number"),
        ('{"instances": [[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]]}', '"instances" holds 3 rows; at most 2 are allowed'),
    ],
)
def test_v1_predict_refuses_bad_requests_with_a_reason(make_server, classifier_dir, body, reason):
    s = make_server(classifier_dir, MAX_BATCH=2)
    r = s.client.post("/v1/models/model:predict", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error"].startswith(reason)


def test_unknown_model_is_404(make_server, classifier_dir):
    s = make_server(classifier_dir)
    r = s.client.post("/v1/models/other:predict", json={"instances": [A_ROW]})
    assert (r.status_code, r.json()) == (404, {"error": "model 'other' not found; this server has 'model'"})
    assert s.client.post("/v2/models/other/infer", json=v2_body([A_ROW])).status_code == 404
    assert s.client.get("/nowhere").json() == {"error": "Not Found"}


def test_v2_infer_answers_classes_as_bytes(make_server, classifier_dir):
    s = make_server(classifier_dir)
    r = s.client.post("/v2/models/model/infer", json=v2_body([A_ROW, C_ROW], id="req-1"))
    assert r.status_code == 200
    assert r.json() == {
        "model_name": "model",
        "model_version": "v7",  # the card's variant
        "outputs": [{"name": "predict", "shape": [2], "datatype": "BYTES", "data": ["a", "c"]}],
        "id": "req-1",
    }


def test_v2_infer_takes_flat_data_fp64_and_a_version(make_server, classifier_dir):
    s = make_server(classifier_dir)
    body = {"inputs": [{"name": "x", "shape": [2, 4], "datatype": "FP64", "data": B_ROW + A_ROW}]}
    r = s.client.post("/v2/models/model/versions/v7/infer", json=body)
    assert r.json()["outputs"][0]["data"] == ["b", "a"]
    wrong_version = s.client.post("/v2/models/model/versions/v1/infer", json=body)
    assert (wrong_version.status_code, wrong_version.json()) == (404, {"error": "model 'model' has no version 'v1'; it serves 'v7'"})


def test_v2_infer_answers_probabilities_when_asked(make_server, classifier_dir):
    s = make_server(classifier_dir)
    r = s.client.post("/v2/models/model/infer", json=v2_body([A_ROW, C_ROW], outputs=[{"name": "predict_proba"}]))
    (proba,) = r.json()["outputs"]
    assert (proba["name"], proba["shape"], proba["datatype"]) == ("predict_proba", [2, 3], "FP64")
    assert proba["data"] == [1.0, 0.0, 0.0, 0.0, 0.0, 1.0]


@pytest.mark.parametrize(
    "tensor, outputs, reason",
    [
        ({"name": "x", "shape": [1, 3], "datatype": "FP32", "data": [1, 2, 3]}, None, "inputs[0].shape must be [N, 4] with N >= 1, not [1, 3]"),
        ({"name": "x", "shape": [1, 4], "datatype": "INT32", "data": [1, 2, 3, 4]}, None, 'inputs[0].datatype "INT32" is not supported; use FP32 or FP64'),
        ({"name": "x", "shape": [2, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}, None, "inputs[0].data holds 4 values; the shape [2, 4] needs 8"),
        ({"name": "x", "shape": [1, 4], "datatype": "FP32"}, None, 'inputs[0] has no "data"'),
        ({"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}, [{"name": "logits"}], "unknown output 'logits'; this model has predict, predict_proba"),
    ],
)
def test_v2_infer_refuses_bad_requests_with_a_reason(make_server, classifier_dir, tensor, outputs, reason):
    s = make_server(classifier_dir)
    body = {"inputs": [tensor]} if outputs is None else {"inputs": [tensor], "outputs": outputs}
    r = s.client.post("/v2/models/model/infer", json=body)
    assert (r.status_code, r.json()) == (400, {"error": reason})


def test_v2_metadata(make_server, classifier_dir):
    import sklearn

    s = make_server(classifier_dir)
    m = s.client.get("/v2/models/model").json()
    assert m["platform"] == f"sklearn_{sklearn.__version__}"
    assert m["versions"] == ["v7"]
    assert m["inputs"] == [{"name": "input-0", "datatype": "FP32", "shape": [-1, 4]}]
    assert m["outputs"] == [{"name": "predict", "datatype": "BYTES", "shape": [-1]}, {"name": "predict_proba", "datatype": "FP64", "shape": [-1, 3]}]
    assert m["parameters"] == {"feature_names": ["f0", "f1", "f2", "f3"], "class_names": ["a", "b", "c"], "variant": "v7", "accuracy": 0.99}
    assert s.client.get("/v2").json() == {"name": "model-canary-server", "version": "1", "extensions": []}


def test_a_regressor_answers_numbers(make_server, regressor_dir):
    s = make_server(regressor_dir, MODEL_VERSION="3")
    r = s.client.post("/v2/models/model/infer", json=v2_body([[4.0, 1.0]], datatype="FP64")).json()
    (out,) = r["outputs"]
    assert (r["model_version"], out["datatype"], out["shape"]) == ("3", "FP64", [1])
    assert out["data"][0] == pytest.approx(9.0)
    assert s.client.post("/v1/models/model:predict", json={"instances": [[1.0, 0.0]]}).json()["predictions"][0] == pytest.approx(3.0)


@pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is None or importlib.util.find_spec("onnx") is None,
                    reason="onnxruntime (and onnx, to write a model) are not importable: Debian does not package onnxruntime")
def test_onnx_labels_are_named_from_the_card(make_server, tmp_path):
    import json

    import onnx
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, 2])
    label = helper.make_tensor_value_info("label", TensorProto.INT64, [None])
    graph = helper.make_graph([helper.make_node("ArgMax", ["X"], ["label"], axis=1, keepdims=0)], "argmax", [x], [label])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), tmp_path / "model.onnx")
    (tmp_path / "model-card.json").write_text(json.dumps({"class_names": ["left", "right"]}))
    s = make_server(str(tmp_path))
    r = s.client.post("/v2/models/model/infer", json=v2_body([[0.1, 0.9], [0.8, 0.2]]))
    assert r.json()["outputs"][0] == {"name": "predict", "shape": [2], "datatype": "BYTES", "data": ["right", "left"]}
