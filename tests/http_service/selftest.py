#!/usr/bin/env python3
"""Self-test of server.py and expected.py, without the http engine:
starts server.py, sends each API's request shapes as the descriptions in
configs/services/ say they are sent, and checks the answers against
face_rule.py and against expected.py's files.

usage: selftest.py MANIFEST   (a small PNG dataset, e.g. from shades synth)
Exit 0 when every check passes. Python 3 standard library only.
"""

import base64
import csv
import datetime
import hashlib
import hmac
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import face_rule  # noqa: E402

CREDS = {"SHADES_SERVICE_KEY": "generic-test-key", "AZURE_FACE_KEY": "azure-test-key",
         "FACEPP_API_KEY": "facepp-key", "FACEPP_API_SECRET": "facepp-secret",
         "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
         "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
failures = 0


def check(ok, what):
    global failures
    if not ok:
        failures += 1
        print("FAIL:", what)


class Server:
    def __init__(self, tmp, *args):
        self.port_file = os.path.join(tmp, "port%d" % time.monotonic_ns())
        self.log = os.path.join(tmp, "log%d" % time.monotonic_ns())
        env = dict(os.environ, **CREDS)
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, "server.py"),
                                      "--port-file", self.port_file, "--log", self.log] +
                                     list(args), env=env)
        for _ in range(100):
            if os.path.exists(self.port_file):
                break
            time.sleep(0.05)
        self.port = int(open(self.port_file).read())

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)

    def entries(self):
        with open(self.log) as f:
            return [json.loads(line) for line in f]

    def post(self, path, body, headers):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        c.request("POST", path, body=body, headers=headers)
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, dict(r.getheaders()), data


def multipart(fields):
    """fields: (name, value, is_file)."""
    boundary = "shades-" + uuid.uuid4().hex
    out = b""
    for name, value, is_file in fields:
        out += b"--" + boundary.encode() + b"\r\n"
        if is_file:
            out += (b'Content-Disposition: form-data; name="%s"; filename="%s.png"\r\n'
                    b"Content-Type: image/png\r\n\r\n" % (name.encode(), name.encode()))
        else:
            out += b'Content-Disposition: form-data; name="%s"\r\n\r\n' % name.encode()
        out += value + b"\r\n"
    out += b"--" + boundary.encode() + b"--\r\n"
    return out, "multipart/form-data; boundary=" + boundary


def sigv4_headers(port, body, target, secret=CREDS["AWS_SECRET_ACCESS_KEY"]):
    """AWS Signature Version 4 of a POST / to the loopback server."""
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    host = "127.0.0.1:%d" % port
    headers = {"content-type": "application/x-amz-json-1.1", "host": host,
               "x-amz-date": amz_date, "x-amz-target": target}
    signed = ";".join(sorted(headers))
    canonical = "\n".join(["POST", "/", ""] + ["%s:%s" % (k, headers[k]) for k in sorted(headers)]
                          + ["", signed, hashlib.sha256(body).hexdigest()])
    scope = "%s/us-east-1/rekognition/aws4_request" % day
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + secret).encode()
    for part in (day, "us-east-1", "rekognition", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    out = {"Content-Type": headers["content-type"], "X-Amz-Date": amz_date,
           "X-Amz-Target": target,
           "Authorization": "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s"
           % (CREDS["AWS_ACCESS_KEY_ID"], scope, signed, sig)}
    return out


def requests_for(port, api, call, imgs):
    """(path, body, headers) of one call as the description sends it."""
    if api == "generic":
        names = ["image1", "image2"] if call == "verify" else ["image"]
        body, ct = multipart([(n, d, True) for n, d in zip(names, imgs)])
        return "/v1/" + call, body, {"Content-Type": ct, "X-Api-Key": CREDS["SHADES_SERVICE_KEY"]}
    if api == "aws-rekognition":
        b64 = [base64.b64encode(d).decode() for d in imgs]
        if call == "detect":
            doc, target = {"Image": {"Bytes": b64[0]}, "Attributes": ["ALL"]}, "DetectFaces"
        else:
            doc = {"SourceImage": {"Bytes": b64[0]}, "TargetImage": {"Bytes": b64[1]},
                   "SimilarityThreshold": 0}
            target = "CompareFaces"
        body = json.dumps(doc).encode()
        return "/", body, sigv4_headers(port, body, "RekognitionService." + target)
    if api == "azure-face":
        return ("/face/v1.0/detect?returnFaceAttributes=age,gender&returnFaceId=false", imgs[0],
                {"Content-Type": "application/octet-stream",
                 "Ocp-Apim-Subscription-Key": CREDS["AZURE_FACE_KEY"]})
    creds = [("api_key", CREDS["FACEPP_API_KEY"].encode(), False),
             ("api_secret", CREDS["FACEPP_API_SECRET"].encode(), False)]
    if call == "detect":
        body, ct = multipart(creds + [("image_file", imgs[0], True),
                                      ("return_attributes", b"gender,age", False)])
        return "/facepp/v3/detect", body, {"Content-Type": ct}
    body, ct = multipart(creds + [("image_file1", imgs[0], True), ("image_file2", imgs[1], True)])
    return "/facepp/v3/compare", body, {"Content-Type": ct}


def read_detect(api, doc):
    """(female, age, sex confidence) the description's answer paths read."""
    if api == "generic":
        f = doc["faces"][0]
        return f["sex"]["label"] == "female", f["age"], f["sex"]["confidence"]
    if api == "aws-rekognition":
        f = doc["FaceDetails"][0]
        return (f["Gender"]["Value"] == "Female", (f["AgeRange"]["Low"] + f["AgeRange"]["High"]) / 2,
                f["Gender"]["Confidence"] / 100)
    if api == "azure-face":
        f = doc[0]
        return f["faceAttributes"]["gender"] == "female", f["faceAttributes"]["age"], None
    f = doc["faces"][0]
    return f["attributes"]["gender"]["value"] == "Female", f["attributes"]["age"]["value"], None


def read_score(api, doc):
    if api == "generic":
        return doc["similarity"]
    if api == "aws-rekognition":
        return doc["FaceMatches"][0]["Similarity"] / 100 if doc.get("FaceMatches") else 0.0
    return doc["confidence"] / 100


def main():
    manifest = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="http-service-selftest-")
    with open(manifest, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    root = os.path.dirname(os.path.abspath(manifest))
    data = {r["image_id"]: open(os.path.join(root, r["path"]), "rb").read() for r in rows}
    ids = list(data)[:6]
    srv = Server(tmp)
    try:
        # detect on every API, against expected.py's predictions
        for api, conf_col in (("generic", "0.9"), ("aws-rekognition", "0.9"),
                              ("azure-face", ""), ("facepp", "")):
            out = os.path.join(tmp, "pred-%s.csv" % api)
            subprocess.run([sys.executable, os.path.join(HERE, "expected.py"), "predictions",
                            manifest, out, "--service", api], check=True)
            expect = {r["image_id"]: r for r in csv.DictReader(open(out))}
            for i in ids:
                path, body, hdrs = requests_for(srv.port, api, "detect", [data[i]])
                st, _, resp = srv.post(path, body, hdrs)
                check(st == 200, "%s detect %s: status %d %s" % (api, i, st, resp[:200]))
                if st != 200:
                    continue
                female, age, conf = read_detect(api, json.loads(resp))
                e = expect[i]
                check((("F" if female else "M"), age) == (e["predicted"], float(e["age"])),
                      "%s detect %s: %s %s vs %s" % (api, i, female, age, e))
                check(e["confidence"] == ("" if conf is None else repr(conf)) == conf_col,
                      "%s detect %s confidence %r vs %r" % (api, i, conf, e["confidence"]))
        # verify, against expected.py's scores
        pairs = os.path.join(tmp, "pairs.csv")
        with open(pairs, "w") as f:
            f.write("reference_id,probe_id\n")
            for a in ids:
                for b in ids:
                    if a < b:
                        f.write("%s,%s\n" % (a, b))
        for api in ("generic", "aws-rekognition", "facepp"):
            out = os.path.join(tmp, "scores-%s.csv" % api)
            subprocess.run([sys.executable, os.path.join(HERE, "expected.py"), "scores", manifest,
                            pairs, out, "--service", api], check=True)
            for r in csv.DictReader(open(out)):
                path, body, hdrs = requests_for(srv.port, api, "verify",
                                                [data[r["probe_id"]], data[r["reference_id"]]])
                st, _, resp = srv.post(path, body, hdrs)
                check(st == 200, "%s verify: status %d %s" % (api, st, resp[:200]))
                if st == 200:
                    got = read_score(api, json.loads(resp))
                    check(repr(got) == r["score"], "%s verify %s: %r vs %s" % (api, r, got, r["score"]))
        # embed, against expected.py's embed scores
        out = os.path.join(tmp, "scores-embed.csv")
        subprocess.run([sys.executable, os.path.join(HERE, "expected.py"), "scores", manifest,
                        "all", out, "--call", "embed"], check=True)
        vec = {}
        for i in ids:
            path, body, hdrs = requests_for(srv.port, "generic", "embed", [data[i]])
            st, _, resp = srv.post(path, body, hdrs)
            vec[i] = json.loads(resp)["embedding"]
            check(len(vec[i]) == 128, "embed dimension")
        n = 0
        for r in csv.DictReader(open(out)):
            if r["reference_id"] in vec and r["probe_id"] in vec:
                a, b = vec[r["reference_id"]], vec[r["probe_id"]]
                dot = sum(x * y for x, y in zip(a, b))
                check(repr(dot) == r["score"], "embed score %s vs %r" % (r, dot))
                n += 1
        check(n == len(ids) * (len(ids) - 1) // 2, "embed pairs %d" % n)
        # authentication
        i = ids[0]
        path, body, hdrs = requests_for(srv.port, "generic", "detect", [data[i]])
        st, _, _ = srv.post(path, body, dict(hdrs, **{"X-Api-Key": "wrong"}))
        check(st == 403, "generic wrong key: %d" % st)
        del hdrs["X-Api-Key"]
        st, _, _ = srv.post(path, body, hdrs)
        check(st == 401, "generic no key: %d" % st)
        path, body, hdrs = requests_for(srv.port, "azure-face", "detect", [data[i]])
        st, _, _ = srv.post(path, body, dict(hdrs, **{"Ocp-Apim-Subscription-Key": "x"}))
        check(st == 403, "azure wrong key: %d" % st)
        path, body, _ = requests_for(srv.port, "aws-rekognition", "detect", [data[i]])
        st, _, resp = srv.post(path, body, sigv4_headers(srv.port, body,
                                                         "RekognitionService.DetectFaces",
                                                         secret="not-the-secret"))
        check(st == 403 or "sigv4_check" not in sys.modules, "aws wrong secret: %d" % st)
        hdrs = sigv4_headers(srv.port, body, "RekognitionService.DetectFaces")
        hdrs["Authorization"] = hdrs["Authorization"].replace("AKIDEXAMPLE", "AKIDOTHER")
        st, _, _ = srv.post(path, body, hdrs)
        check(st == 403, "aws wrong access key: %d" % st)
        body2, ct = multipart([("api_key", b"facepp-key", False), ("api_secret", b"nope", False),
                               ("image_file", data[i], True)])
        st, _, _ = srv.post("/facepp/v3/detect", body2, {"Content-Type": ct})
        check(st == 403, "facepp wrong secret: %d" % st)
        log = srv.entries()
        check(all(set(e) == {"api", "call", "images", "status"} for e in log), "log keys")
        check(log[0]["images"] == [hashlib.sha256(data[ids[0]]).hexdigest()], "log sha256")
    finally:
        srv.stop()

    # misbehaviour
    i, j = ids[0], ids[1]
    srv = Server(tmp, "--fail-first", "2", "--fail-status", "429", "--retry-after", "3")
    try:
        path, body, hdrs = requests_for(srv.port, "generic", "detect", [data[i]])
        got = [srv.post(path, body, hdrs) for _ in range(3)]
        check([g[0] for g in got] == [429, 429, 200], "fail-first: %s" % [g[0] for g in got])
        check(got[0][1].get("Retry-After") == "3", "Retry-After %r" % got[0][1].get("Retry-After"))
        path, body, hdrs = requests_for(srv.port, "generic", "detect", [data[j]])
        check(srv.post(path, body, hdrs)[0] == 429, "fail-first counts per image set")
    finally:
        srv.stop()
    srv = Server(tmp, "--fail-first", "1", "--fail-status", "500", "--stop-after", "1")
    try:
        path, body, hdrs = requests_for(srv.port, "facepp", "detect", [data[i]])
        got = [srv.post(path, body, hdrs)[0] for _ in range(3)]
        check(got == [500, 200, 503], "fail 500 then stop-after: %s" % got)
    finally:
        srv.stop()
    srv = Server(tmp, "--malformed")
    try:
        path, body, hdrs = requests_for(srv.port, "azure-face", "detect", [data[i]])
        st, _, resp = srv.post(path, body, hdrs)
        try:
            json.loads(resp)
            check(False, "malformed body parsed")
        except ValueError:
            check(st == 200, "malformed status %d" % st)
    finally:
        srv.stop()
    srv = Server(tmp, "--missing-field", "--empty-faces", "--slow", "0.3", "--slow-first", "1")
    try:
        path, body, hdrs = requests_for(srv.port, "aws-rekognition", "detect", [data[i]])
        t0 = time.monotonic()
        st, _, resp = srv.post(path, body, hdrs)
        t1 = time.monotonic()
        check(st == 200 and json.loads(resp) == {"FaceDetails": []}, "empty faces %s" % resp)
        check(t1 - t0 >= 0.3, "slow-first: first request took %.2f s" % (t1 - t0))
        st, _, resp = srv.post(path, body, requests_for(srv.port, "aws-rekognition", "detect",
                                                        [data[i]])[2])
        check(time.monotonic() - t1 < 0.3, "slow-first: second request slow")
        path, body, hdrs = requests_for(srv.port, "aws-rekognition", "verify", [data[i], data[j]])
        st, _, resp = srv.post(path, body, hdrs)
        check(st == 200 and "FaceMatches" not in json.loads(resp), "missing FaceMatches")
        path, body, hdrs = requests_for(srv.port, "generic", "verify", [data[i], data[j]])
        st, _, resp = srv.post(path, body, hdrs)
        check(st == 200 and json.loads(resp) == {}, "missing similarity %s" % resp)
    finally:
        srv.stop()
    print("selftest: %d failure(s)" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
