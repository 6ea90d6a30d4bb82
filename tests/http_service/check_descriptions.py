#!/usr/bin/env python3
"""Checks configs/services/*.yaml against the service-description schema
(the keys the http adapter's libcyaml schema takes; unknown keys are
errors there too) and against the routes server.py serves. Needs PyYAML.

usage: check_descriptions.py [FILE.yaml...]   (default: configs/services/*.yaml)
"""
import glob
import os
import re
import sys

import yaml

TOP = {"service", "api_version", "follows", "untested", "base_url", "auth", "calls"}
AUTH = {"kind", "name", "key", "secret_name", "secret", "token", "region", "signing_service"}
KINDS = {"none", "header", "query", "bearer", "form", "aws_sigv4"}
REQUEST = {"method", "path", "query", "headers", "body", "content_type", "json", "parts", "answer"}
ANSWER = {
    "detect": {"faces", "box", "box_units", "confidence", "confidence_scale", "sex", "female",
               "male", "sex_confidence", "sex_confidence_scale", "age", "age_low", "age_high"},
    "verify": {"score", "score_scale", "score_absent"},
    "embed": {"embedding", "dimension"},
}
IMAGES = {"detect": ["$image"], "embed": ["$image"], "verify": ["$image1", "$image2"]}
PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*(\[\d+\])*(\.[A-Za-z_][A-Za-z0-9_-]*(\[\d+\])*)*$")


def check(path):
    errs = []
    d = yaml.safe_load(open(path, encoding="utf-8"))
    text = open(path, encoding="utf-8").read()
    if not text.startswith("#"):
        errs.append("does not start with a comment block")

    def unknown(got, allowed, where):
        for k in set(got) - allowed:
            errs.append("%s: unknown key %r" % (where, k))

    unknown(d, TOP, "top")
    for k in ("service", "api_version", "follows", "untested", "base_url", "calls"):
        if k not in d:
            errs.append("missing %s" % k)
    if not re.fullmatch(r"[a-z0-9_-]+", str(d.get("service", ""))):
        errs.append("service id %r" % d.get("service"))
    if not isinstance(d.get("api_version"), str):
        errs.append("api_version must be a string")
    for k in ("follows", "untested"):
        if "\n" in str(d.get(k, "")):
            errs.append("%s is not one line" % k)
    if not re.fullmatch(r"https?://[^/\s]+(/\S*)?", str(d.get("base_url", ""))):
        errs.append("base_url %r" % d.get("base_url"))
    auth = d.get("auth") or {"kind": "none"}
    unknown(auth, AUTH, "auth")
    if auth.get("kind") not in KINDS:
        errs.append("auth.kind %r" % auth.get("kind"))
    calls = d.get("calls") or {}
    unknown(calls, set(ANSWER), "calls")
    if not calls:
        errs.append("no calls")
    for name, c in calls.items():
        unknown(c, REQUEST, name)
        unknown(c.get("answer", {}), ANSWER[name], name + ".answer")
        body = c.get("body")
        if body not in ("multipart", "json", "raw"):
            errs.append("%s.body %r" % (name, body))
        if body == "json":
            for img in IMAGES[name]:
                if '"%s"' % img not in c.get("json", ""):
                    errs.append("%s.json lacks %s" % (name, img))
        if body == "multipart":
            vals = [p.get("value") for p in c.get("parts", [])]
            for img in IMAGES[name]:
                if img not in vals:
                    errs.append("%s.parts lack %s" % (name, img))
            for p in c.get("parts", []):
                unknown(p, {"name", "value"}, name + ".parts[]")
        for h in c.get("headers", []):
            unknown(h, {"name", "value"}, name + ".headers[]")
        a = c.get("answer", {})
        for k, v in a.items():
            if k in ("faces",) and v == "":
                continue
            if k == "box":
                for p in v:
                    if not PATH.match(p):
                        errs.append("%s.answer.box path %r" % (name, p))
            elif k in ("faces", "confidence", "sex", "sex_confidence", "age", "age_low",
                       "age_high", "score", "embedding") and not PATH.match(str(v)):
                errs.append("%s.answer.%s path %r" % (name, k, v))
        if name == "detect" and ("box" not in a or len(a["box"]) != 4):
            errs.append("detect.answer.box needs 4 paths")
        if name == "detect" and "sex" in a and not ("female" in a and "male" in a):
            errs.append("detect.answer.sex needs female and male")
    return errs


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    files = sys.argv[1:] or sorted(glob.glob(os.path.join(root, "configs/services/*.yaml")))
    bad = 0
    for f in files:
        for e in check(f):
            print("%s: %s" % (f, e))
            bad += 1
    print("%d file(s), %d problem(s)" % (len(files), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
