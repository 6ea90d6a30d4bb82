#!/usr/bin/python3
"""Fetches the pretrained model sets named by the model cards in
configs/models/ into ${SHADES_MODELS:-models}/NAME-VERSION/.

Each card pins one npm package version: its tarball's SHA-256 and every
file taken from it. A set already installed and intact is left alone; a
download that does not match is refused and nothing is installed. Run by
scripts/setup.sh; nothing is fetched at run or test time.

    scripts/fetch_models.py [--models DIR] [--check] [CARD ...]

--check only verifies what is installed (no network) and exits 1 naming
the first missing or altered file.
"""
import argparse
import hashlib
import io
import os
import shutil
import sys
import tarfile
import tempfile
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


def load_card(path):
    with open(path, encoding="utf-8") as f:
        card = yaml.safe_load(f)
    for key in ("name", "version", "source", "source_sha256", "files"):
        if not card.get(key):
            sys.exit(f"{path}: field '{key}' is missing")
    return card


def problem(card, target):
    """The first missing or altered file of an installed set, or None."""
    for entry in card["files"]:
        path = os.path.join(target, entry["path"])
        if not os.path.isfile(path):
            return f"{path}: missing"
        if file_sha256(path) != entry["sha256"]:
            return f"{path}: SHA-256 differs from the model card's"
    return None


def download(url):
    # The registry may be a mirror (npm's own setting), as npm itself honours.
    registry = os.environ.get("npm_config_registry") or os.environ.get("NPM_CONFIG_REGISTRY")
    if registry and url.startswith("https://registry.npmjs.org/"):
        url = registry.rstrip("/") + url[len("https://registry.npmjs.org"):]
    with urllib.request.urlopen(url, timeout=120) as r:
        return r.read()


def install(card_path, card, models):
    target = os.path.join(models, f"{card['name']}-{card['version']}")
    if problem(card, target) is None and os.path.isfile(os.path.join(target, "card.yaml")):
        print(f"fetch_models: {target} is installed and intact")
        return
    print(f"fetch_models: downloading {card['source']}")
    data = download(card["source"])
    got = sha256(data)
    if got != card["source_sha256"]:
        sys.exit(f"fetch_models: {card['source']}: SHA-256 {got}, the card "
                 f"{card_path} pins {card['source_sha256']}; nothing installed")
    os.makedirs(models, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".fetch-", dir=models)
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for entry in card["files"]:
                member = tar.getmember(entry["from"])
                blob = tar.extractfile(member).read()
                if sha256(blob) != entry["sha256"]:
                    sys.exit(f"fetch_models: {entry['from']} in {card['source']}: SHA-256 "
                             f"differs from the card {card_path}; nothing installed")
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
    for path in cards:
        card = load_card(path)
        if args.check:
            target = os.path.join(args.models, f"{card['name']}-{card['version']}")
            bad = problem(card, target)
            if bad:
                sys.exit(f"{bad} (fetch it with {FETCH})")
            print(f"fetch_models: {target} is intact")
        else:
            install(path, card, args.models)


if __name__ == "__main__":
    main()
