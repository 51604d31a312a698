"""The model: a scikit-learn estimator (joblib) or an ONNX model (onnxruntime), behind one run(rows, want_proba)."""
import os

from .config import MODEL_EXTENSIONS


def find_model_file(model_dir, model_file):
    if model_file:
        return os.path.join(model_dir, model_file)
    found = sorted(f for f in os.listdir(model_dir) if os.path.splitext(f)[1].lower() in MODEL_EXTENSIONS)
    if len(found) != 1:
        raise ValueError(f"{model_dir} holds {len(found)} model files ({', '.join(found) or 'none'}); set MODEL_FILE to one")
    return os.path.join(model_dir, found[0])


def plain(value):
    """A numpy scalar (or bytes) as a plain Python value for JSON."""
    if hasattr(value, "item"):
        value = value.item()
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


class SklearnModel:
    """A scikit-learn estimator (or pipeline) saved with joblib."""

    framework = "sklearn"
    input_dtype = None  # numpy's float64 unless the request says FP32

    def __init__(self, path):
        import joblib  # heavy (numpy, scipy, scikit-learn): imported here, not before the server is live
        import sklearn

        self.model = joblib.load(path)
        if not hasattr(self.model, "predict"):
            raise ValueError(f"{os.path.basename(path)} holds a {type(self.model).__name__}, which has no predict()")
        self.framework_version = sklearn.__version__
        n = getattr(self.model, "n_features_in_", None)
        self.n_features = int(n) if n is not None else None
        classes = getattr(self.model, "classes_", None)
        self.classes = [plain(c) for c in classes] if classes is not None else None
        self.has_proba = self.classes is not None and hasattr(self.model, "predict_proba")

    def run(self, rows, want_proba):
        labels = [plain(v) for v in self.model.predict(rows)]
        proba = [[float(p) for p in row] for row in self.model.predict_proba(rows)] if want_proba and self.has_proba else None
        return labels, proba


class OnnxModel:
    """An ONNX model run with onnxruntime: the first input takes the rows; the first output is the label (or the
    value, for a regressor), the second, when there is one, the probabilities (a tensor, or skl2onnx's ZipMap)."""

    framework = "onnx"
    DTYPES = {"tensor(float)": "float32", "tensor(double)": "float64"}

    def __init__(self, path):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = int(os.environ.get("OMP_NUM_THREADS", "1") or 1)
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        self.framework_version = onnxruntime.__version__
        inputs = self.session.get_inputs()
        if len(inputs) != 1:
            raise ValueError(f"the ONNX model has {len(inputs)} inputs; this server feeds one 2-D input")
        self.input = inputs[0]
        if self.input.type not in self.DTYPES:
            raise ValueError(f"the ONNX input {self.input.name!r} is {self.input.type}; this server feeds float or double")
        self.input_dtype = self.DTYPES[self.input.type]
        shape = self.input.shape
        self.n_features = shape[1] if len(shape) == 2 and isinstance(shape[1], int) else None
        self.outputs = [o.name for o in self.session.get_outputs()]
        first = self.session.get_outputs()[0]
        # A classifier's label is int64 or string; a float first output is a regressor's value.
        self.classes = [] if first.type in ("tensor(int64)", "tensor(string)", "tensor(int32)") else None
        self.has_proba = self.classes is not None and len(self.outputs) > 1

    def run(self, rows, want_proba):
        wanted = self.outputs[:2] if want_proba and self.has_proba else self.outputs[:1]
        result = self.session.run(wanted, {self.input.name: rows.astype(self.input_dtype, copy=False)})
        labels = [plain(v) for v in result[0].reshape(-1)] if self.classes is not None else [float(v) for v in result[0].reshape(len(rows), -1)[:, 0]]
        proba = None
        if len(result) > 1:
            raw = result[1]
            if isinstance(raw, list):  # ZipMap: a list of {class: probability}
                proba = [[float(d[k]) for k in sorted(d)] for d in raw]
            else:
                proba = [[float(p) for p in row] for row in raw]
        return labels, proba


LOADERS = {"sklearn": SklearnModel, "onnx": OnnxModel}
