"""The server's state: the model once loaded (in a background thread), readiness, draining, and predictions."""
import json
import logging
import os
import threading
import time

from . import faults
from .config import LOAD_FAILED_EXIT_CODE, MODEL_EXTENSIONS
from .logs import event, log
from .metrics import NoMetrics
from .models import LOADERS, find_model_file
from .parsing import BadRequest


class ModelState:
    def __init__(self, config, metrics=None):
        self.config = config
        self.metrics = metrics or NoMetrics()
        self.model = None
        self.card = {}
        self.class_names = None  # the names predictions answer with; None for a regressor
        self.loaded = False
        self.draining = False
        self.started = time.monotonic()

    @property
    def ready(self):
        return self.loaded and not self.draining

    @property
    def n_features(self):
        return self.model.n_features if self.model is not None else None

    @property
    def version(self):
        return str(self.card.get("variant") or self.config["model_version"])

    @property
    def is_classifier(self):
        return self.model is not None and self.model.classes is not None

    def load(self):
        """Runs in a background thread: loads the model and the card, warms up, then marks the server ready."""
        fault = self.config["fault"]
        if fault == "oom":
            faults.allocate_until_killed()
            return
        model_dir = self.config["model_dir"]
        try:
            path = find_model_file(model_dir, self.config["model_file"])
            framework = self.config["framework"] or MODEL_EXTENSIONS.get(os.path.splitext(path)[1].lower())
            if framework not in LOADERS:
                raise ValueError(f"cannot tell the framework of {os.path.basename(path)}; set MODEL_FRAMEWORK to sklearn or onnx")
            card_path = os.path.join(model_dir, "model-card.json")
            card = {}
            if os.path.exists(card_path):
                with open(card_path, encoding="utf-8") as f:
                    card = json.load(f)
                if not isinstance(card, dict):
                    raise ValueError("model-card.json is not a JSON object")
            model = LOADERS[framework](path)
            class_names = self.names_for(model, card)
            n = model.n_features or len(card.get("feature_names") or []) or None
            if model.n_features is None and n is not None:
                model.n_features = n
            if n is not None:
                import numpy

                model.run(numpy.zeros((1, n), dtype=model.input_dtype or "float64"), True)  # warm up; fail here, not on a request
        except Exception:
            log.critical("could not load the model from %s", model_dir, exc_info=True)
            logging.shutdown()
            os._exit(LOAD_FAILED_EXIT_CODE)
        self.model, self.card, self.class_names = model, card, class_names
        seconds = round(time.monotonic() - self.started, 3)
        self.metrics.model_loaded(seconds, class_names)
        if fault == "never-ready":
            event(logging.WARNING, "fault never-ready: model loaded, but it will never report ready", event="fault", fault=fault, load_seconds=seconds)
            return
        self.loaded = True
        if fault == "exit-after-ready":
            threading.Timer(self.config["fault_after_seconds"], faults.exit_after_ready, [self.config["fault_after_seconds"]]).start()
        event(logging.INFO, "model loaded; ready", event="model-loaded", model=self.config["model_name"], file=os.path.basename(path),
              variant=card.get("variant"), version=self.version, framework=model.framework, framework_version=model.framework_version,
              features=model.n_features, classes=class_names, load_seconds=seconds)

    @staticmethod
    def names_for(model, card):
        """The class names predictions answer with: the card's, in the order of the model's classes; else the model's."""
        if model.classes is None:
            return None
        names = card.get("class_names")
        if names is not None:
            names = [str(c) for c in names]
            if model.classes and len(model.classes) != len(names):
                raise ValueError(f"the model has {len(model.classes)} classes, the card names {len(names)}")
            return names
        return [str(c) for c in model.classes]

    def label_name(self, label):
        names, classes = self.class_names, self.model.classes
        if classes:  # the model knows its classes: the name at the label's index
            return names[classes.index(label)] if label in classes else str(label)
        if names and isinstance(label, int) and 0 <= label < len(names):  # ONNX labels 0..k-1, names from the card
            return names[label]
        return str(label)

    def predict(self, rows, outputs):
        """rows: a float array of shape (N, features). Returns {output name: list}: class names (or values) for predict."""
        fault = self.config["fault"]
        faults.before_prediction(self.config, rows)
        want_proba = "predict_proba" in outputs
        labels, proba = self.model.run(rows, want_proba)
        result = {}
        if self.is_classifier:
            predictions = [self.label_name(v) for v in labels]
            if fault == "wrong":
                predictions = [faults.other_class(self.class_names, p) for p in predictions]
            self.metrics.predicted(predictions)  # the classes answered, whether or not the request asked for them
        else:
            predictions = [v + 1.0 if fault == "wrong" else v for v in labels]
        if "predict" in outputs:
            result["predict"] = predictions
        if want_proba:
            if proba is None:
                raise BadRequest("this model has no predict_proba output")
            result["predict_proba"] = proba
        return result
