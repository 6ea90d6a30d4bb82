#!/usr/bin/env python3
"""A small Python reading of a service description (configs/services/*.yaml):
builds one call's request as the description says and reads its answer by
the description's paths. For checking descriptions against server.py
without the C adapter; it is not the adapter. Needs PyYAML.

usage: desc_client.py DESCRIPTION.yaml MANIFEST   (checks against expected.py's rules)
"""
import base64
import csv
import json
import os
import re
import sys
import urllib.parse

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import face_rule  # noqa: E402
import selftest  # noqa: E402


def get(doc, path):
    """The value at a dot path with [N] indexes; KeyError when absent."""
    if path == "":
        return doc
    for part in path.split("."):
        m = re.fullmatch(r"([^\[]+)((\[\d+\])*)", part)
        doc = doc[m.group(1)]
        for idx in re.findall(r"\[(\d+)\]", m.group(2)):
            doc = doc[int(idx)]
    return doc


def build(desc, call, images, port):
    c = desc["calls"][call]
    auth = desc.get("auth") or {"kind": "none"}
    names = ["$image"] if call != "verify" else ["$image1", "$image2"]
    sub = dict(zip(names, images))
    path = c["path"] + ("?" + c["query"] if c.get("query") else "")
    headers = {h["name"]: h["value"] for h in c.get("headers", [])}
    cred = selftest.CREDS
    form = []
    if auth["kind"] == "header":
        headers[auth["name"]] = cred[auth["key"]]
    elif auth["kind"] == "bearer":
        headers["Authorization"] = "Bearer " + cred[auth["key"]]
    elif auth["kind"] == "query":
        path += ("&" if "?" in path else "?") + urllib.parse.urlencode({auth["name"]: cred[auth["key"]]})
    elif auth["kind"] == "form":
        form = [(auth["name"], cred[auth["key"]].encode(), False),
                (auth["secret_name"], cred[auth["secret"]].encode(), False)]
    if c["body"] == "multipart":
        fields = form + [(p["name"], sub[p["value"]], True) if p["value"] in sub
                         else (p["name"], str(p["value"]).encode(), False) for p in c["parts"]]
        body, ct = selftest.multipart(fields)
        headers["Content-Type"] = ct
    elif c["body"] == "json":
        text = c["json"]
        for n in sorted(names, key=len, reverse=True):
            text = text.replace('"%s"' % n, json.dumps(base64.b64encode(sub[n]).decode()))
        body = text.encode()
        headers["Content-Type"] = c.get("content_type", "application/json")
    else:
        body = images[0]
        headers["Content-Type"] = c.get("content_type", "application/octet-stream")
    if auth["kind"] == "aws_sigv4":
        target = headers["X-Amz-Target"]
        headers = selftest.sigv4_headers(port, body, target)
    return path, body, headers


def read(desc, call, doc):
    a = desc["calls"][call]["answer"]
    if call == "verify":
        try:
            v = get(doc, a["score"])
        except (KeyError, IndexError):
            return a.get("score_absent")
        return v / a.get("score_scale", 1)
    if call == "embed":
        return get(doc, a["embedding"])
    face = get(doc, a["faces"])[0]
    sex = get(face, a["sex"])
    out = {"female": sex == a["female"] if sex in (a["female"], a["male"]) else None}
    if "age" in a:
        out["age"] = get(face, a["age"])
    else:
        out["age"] = (get(face, a["age_low"]) + get(face, a["age_high"])) / 2
    out["box"] = [get(face, p) for p in a["box"]]
    return out


def main():
    desc = yaml.safe_load(open(sys.argv[1]))
    manifest = sys.argv[2]
    rows = list(csv.DictReader(open(manifest, encoding="utf-8-sig")))
    root = os.path.dirname(os.path.abspath(manifest))
    data = [open(os.path.join(root, r["path"]), "rb").read() for r in rows[:4]]
    import tempfile
    srv = selftest.Server(tempfile.mkdtemp(prefix="desc-client-"))
    bad = 0
    try:
        for call in desc["calls"]:
            sets = [[d] for d in data] if call != "verify" else [[data[0], d] for d in data[1:]]
            for imgs in sets:
                path, body, hdrs = build(desc, call, imgs, srv.port)
                st, _, resp = srv.post(path, body, hdrs)
                if st != 200:
                    print("FAIL %s %s: %d %s" % (desc["service"], call, st, resp[:300]))
                    bad += 1
                    continue
                got = read(desc, call, json.loads(resp))
                faces = [face_rule.Face(d) for d in imgs]
                if call == "detect":
                    f = faces[0]
                    want_box = ([0, 0, 1, 1] if desc["calls"][call]["answer"]["box_units"] == "fraction"
                                else [0, 0, f.width, f.height])
                    ok = got == {"female": f.female, "age": f.age, "box": want_box}
                elif call == "verify":
                    s = face_rule.similarity(faces[0].mean, faces[1].mean)
                    sc = desc["calls"][call]["answer"].get("score_scale", 1)
                    ok = got == (sc * s) / sc
                else:
                    ok = got == faces[0].embedding()
                if not ok:
                    print("FAIL %s %s: got %r" % (desc["service"], call, got))
                    bad += 1
    finally:
        srv.stop()
    print("%s: %d failure(s)" % (desc["service"], bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
