"""Trains the iris example model: a scikit-learn classifier on the iris data that ships inside scikit-learn.

    python3 train.py --variant v1 --out-dir out

writes out/model.joblib (the fitted estimator) and out/model-card.json (what the server and the smoke
cases need to know about it). Two variants exist so a canary can differ from stable:

  v1  a random forest of 100 full-depth trees
  v2  the same kind of model retrained with other hyperparameters and another seed: 15 shallow trees
      that look at one feature per split; it agrees with v1 on typical flowers and can disagree on the
      ones near the versicolor/virginica border.

Both are scored on the same held-out split (its seed is fixed, only the model's seed changes), and
training fails when the accuracy is below --min-accuracy, so a bad model never becomes an image.
Training is deterministic: the same variant and scikit-learn version give the same model.
"""
import argparse
import json
import os
import platform
import sys

import joblib
import numpy
import sklearn
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

MODEL_FILE = "model.joblib"
CARD_FILE = "model-card.json"
SPLIT_SEED = 20240601
TEST_SIZE = 0.3

VARIANTS = {
    "v1": {
        "description": "random forest, 100 full-depth trees",
        "params": {"n_estimators": 100, "max_depth": None, "min_samples_leaf": 1, "max_features": "sqrt", "random_state": 1},
    },
    "v2": {
        "description": "random forest retrained with other hyperparameters and seed: 15 shallow trees, one feature per split",
        "params": {"n_estimators": 15, "max_depth": 2, "min_samples_leaf": 4, "max_features": 1, "random_state": 7},
    },
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variant", choices=sorted(VARIANTS), default="v1", help="which hyperparameters and seed to train with")
    parser.add_argument("--out-dir", default=".", help="directory for model.joblib and model-card.json")
    parser.add_argument("--min-accuracy", type=float, default=0.85, help="fail when the held-out accuracy is lower")
    args = parser.parse_args(argv)

    iris = load_iris()  # bundled with scikit-learn: no download
    x_train, x_test, y_train, y_test = train_test_split(
        iris.data, iris.target, test_size=TEST_SIZE, random_state=SPLIT_SEED, stratify=iris.target
    )
    variant = VARIANTS[args.variant]
    model = RandomForestClassifier(**variant["params"])
    model.fit(x_train, y_train)
    accuracy = float(accuracy_score(y_test, model.predict(x_test)))
    if accuracy < args.min_accuracy:
        print(f"accuracy {accuracy:.3f} is below --min-accuracy {args.min_accuracy}", file=sys.stderr)
        return 1

    feature_names = [str(n) for n in iris.feature_names]
    class_names = [str(n) for n in iris.target_names]
    card = {
        "name": "iris",
        "variant": args.variant,
        "description": f"Iris species from four flower measurements ({variant['description']}).",
        "framework": "sklearn",
        "framework_version": sklearn.__version__,
        "sklearn_version": sklearn.__version__,
        "numpy_version": numpy.__version__,
        "python_version": platform.python_version(),
        "estimator": type(model).__name__,
        "hyperparameters": variant["params"],
        "artifact": MODEL_FILE,
        "feature_names": feature_names,
        "class_names": class_names,
        "feature_ranges": {
            name: [float(iris.data[:, i].min()), float(iris.data[:, i].max())] for i, name in enumerate(feature_names)
        },
        "input": {"shape": [-1, len(feature_names)], "datatypes": ["FP32", "FP64"]},
        "output": {"name": "predict", "kind": "class name", "values": class_names},
        "dataset": {"name": "iris", "source": "sklearn.datasets.load_iris", "rows": int(iris.data.shape[0])},
        "evaluation": {
            "metric": "accuracy",
            "split": "held-out, stratified",
            "test_size": TEST_SIZE,
            "split_seed": SPLIT_SEED,
            "train_rows": int(len(x_train)),
            "test_rows": int(len(x_test)),
        },
        "accuracy": round(accuracy, 4),
    }

    os.makedirs(args.out_dir, exist_ok=True)
    joblib.dump(model, os.path.join(args.out_dir, MODEL_FILE))
    with open(os.path.join(args.out_dir, CARD_FILE), "w", encoding="utf-8") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    print(json.dumps({"trained": args.variant, "accuracy": card["accuracy"], "out_dir": args.out_dir}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
