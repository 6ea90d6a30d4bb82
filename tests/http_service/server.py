#!/usr/bin/env python3
"""Loopback face service for the http engine's tests: serves the request
and response shapes of every description in configs/services/ at once,
answers by the rule in face_rule.py, and misbehaves on request.

usage: server.py --port-file F --log F [options]

Binds 127.0.0.1 on a free port, writes the port number to --port-file once
it listens (written to a temporary name, then renamed), and serves until
SIGTERM or SIGINT. Python 3 standard library only.

Routes (one server, every shape):
  generic          POST /v1/detect, /v1/verify, /v1/embed   (multipart)
                   auth: $SHADES_SERVICE_KEY as header X-Api-Key, as a bearer
                   token, or as query parameter api_key
  aws-rekognition  POST /  with X-Amz-Target RekognitionService.DetectFaces
                   or RekognitionService.CompareFaces, application/x-amz-json-1.1
                   auth: SigV4 (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, and
                   AWS_SESSION_TOKEN as X-Amz-Security-Token when set),
                   region us-east-1, service rekognition, the signature
                   recomputed by sigv4_check.verify
  azure-face       POST /face/v1.0/detect  (application/octet-stream body)
                   auth: header Ocp-Apim-Subscription-Key = $AZURE_FACE_KEY
  facepp           POST /facepp/v3/detect, /facepp/v3/compare  (multipart)
                   auth: form fields api_key = $FACEPP_API_KEY,
                   api_secret = $FACEPP_API_SECRET
A credential the server's environment lacks refuses every request of that
API. A missing credential is answered 401, a wrong one 403, each with a
JSON error in the API's own error shape.

Answers (face_rule.py): one face covering the whole image, confidence 0.99;
female iff int(m*1000) % 2 == 0 with m the mean colour sample; sex
confidence 0.9; age round(m) % 60 + 18 (AWS: AgeRange Low age-2, High
age+2); verify similarity 1 - |m1-m2|/255 (AWS Similarity and Face++
confidence in percent, 100 * s; AWS leaves a match under the request's
SimilarityThreshold, default 80, out of FaceMatches as the real API does);
embed 128 floats of +-0.125 or 0. Floats are written by json.dumps (repr,
exact round trip).

Log (--log): one JSON line per request, appended and flushed:
  {"api": ..., "call": "detect"|"verify"|"embed", "images": [sha256 hex of
   each received image payload, in request order], "status": code}
api and call are null for a request no route matches; images is [] when
the request was refused before its images were read (authentication,
parsing). Request bodies may have a Content-Length or be chunked.

Misbehaviour options, all combinable; "image set" = (api, call, the
received images' sha256 in order), so a client's retry of one request
counts against the same set:
  --fail-first N       the first N requests of each image set are answered
                       with --fail-status (after authentication passed)
  --fail-status CODE   429 (default) or 500, or any 4xx/5xx
  --retry-after S      with status 429: the Retry-After header value
                       (seconds; default 1; 0 leaves the header out)
  --slow S             sleep S seconds (a float) before answering
  --slow-first N       with --slow: only the first N requests of each image
                       set are slow (default: every request)
  --malformed          200 with a body that is not JSON
  --missing-field      leave out the sex field (detect: sex / Gender /
                       faceAttributes.gender / attributes.gender), the score
                       (verify: similarity / FaceMatches / confidence) and the
                       embedding (embed)
  --empty-faces        detect answers an empty face list
  --stop-after N       after N successful (200) answers, every request is
                       answered 503
  --echo-credentials   a refused credential is quoted in the error body, as
                       some services do
Order per request: route; authenticate and parse the body (Face++ carries
its credentials in the body, so it is parsed first); slow; fail-first;
stop-after; decode the PNGs (a bad one is a 400); answer. Requests refused
before slow count towards nothing.
"""

import argparse
import base64
import email.parser
import email.utils
import hashlib
import hmac
import http.server
import json
import os
import re
import signal
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import face_rule  # noqa: E402

import sigv4_check  # noqa: E402

AWS_REGION = "us-east-1"
AWS_SERVICE = "rekognition"
AWS_JSON = "application/x-amz-json-1.1"


class Refusal(Exception):
    """An answer other than the rule's: status, JSON body, extra headers."""

    def __init__(self, status, body, headers=None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


def error_body(api, status, code, message):
    """An error in the API's own shape."""
    if api == "aws-rekognition":
        return {"__type": code, "message": message}
    if api == "azure-face":
        return {"error": {"code": code, "message": message}}
    if api == "facepp":
        return {"error_message": code + ": " + message}
    return {"error": message, "code": code, "status": status}


def refuse(api, status, code, message, headers=None):
    raise Refusal(status, error_body(api, status, code, message), headers)


# ---- request bodies ---------------------------------------------------------

def parse_multipart(api, content_type, body):
    """Parts of a multipart/form-data body: list of (name, filename, bytes).
    Split on the boundary by hand (exact for binary parts); each part's
    headers are read with email.parser."""
    m = re.match(r'multipart/form-data\s*;.*?boundary=("?)([^";]+)\1', content_type or "", re.I)
    if not m:
        refuse(api, 400, "BadRequest", "expected multipart/form-data with a boundary, got %r"
               % content_type)
    delim = b"--" + m.group(2).encode("latin-1")
    pieces = body.split(delim)
    if len(pieces) < 3 or not pieces[-1].startswith(b"--"):
        refuse(api, 400, "BadRequest", "multipart body has no closing boundary")
    parts = []
    for piece in pieces[1:-1]:
        if not piece.startswith(b"\r\n") or not piece.endswith(b"\r\n"):
            refuse(api, 400, "BadRequest", "multipart part not framed by CRLF")
        piece = piece[2:-2]
        head, sep, content = piece.partition(b"\r\n\r\n")
        if not sep:
            refuse(api, 400, "BadRequest", "multipart part without a blank line after its headers")
        headers = email.parser.BytesHeaderParser().parsebytes(head + b"\r\n\r\n")
        disp = headers.get("Content-Disposition", "")
        name = headers.get_param("name", header="content-disposition")
        if not disp.lower().startswith("form-data") or name is None:
            refuse(api, 400, "BadRequest", "multipart part without form-data name")
        filename = headers.get_param("filename", header="content-disposition")
        parts.append((email.utils.collapse_rfc2231_value(name),
                      filename and email.utils.collapse_rfc2231_value(filename), content))
    return parts


def part_named(api, parts, name, want_file):
    found = [p for p in parts if p[0] == name]
    if len(found) != 1:
        refuse(api, 400, "BadRequest", "expected one multipart part %r, got %d" % (name, len(found)))
    if want_file and found[0][1] is None:
        refuse(api, 400, "BadRequest", "part %r is not a file part (no filename)" % name)
    return found[0][2]


def json_body(api, body):
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        refuse(api, 400, "SerializationException" if api == "aws-rekognition" else "BadRequest",
               "body is not JSON: %s" % e)


def b64_image(api, value, where):
    if not isinstance(value, str):
        refuse(api, 400, "InvalidParameterException", "%s is not a base64 string" % where)
    try:
        return base64.b64decode(value, validate=True)
    except ValueError as e:
        refuse(api, 400, "InvalidParameterException", "%s is not base64: %s" % (where, e))


def face_of(api, data, what):
    try:
        return face_rule.Face(data)
    except face_rule.PngError as e:
        refuse(api, 400, "InvalidImageFormatException" if api == "aws-rekognition"
               else "InvalidImage", "%s: %s" % (what, e))


# ---- authentication ---------------------------------------------------------

def need_env(api, name):
    value = os.environ.get(name)
    if not value:
        refuse(api, 401, "Unauthorized", "the test server has no %s in its environment" % name)
    return value


ECHO_CREDENTIALS = False


def check_secret(api, given, expected, what):
    if given is None or given == "":
        refuse(api, 401, "Unauthorized", "missing " + what)
    if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"),
                               expected.encode("utf-8")):
        # Some services quote the key they refused; the client must not
        # pass it on.
        refuse(api, 403, "Forbidden", "wrong " + what +
               (": " + given if ECHO_CREDENTIALS else ""))


def check_sigv4(req, path, query, body):
    api = "aws-rekognition"
    access = need_env(api, "AWS_ACCESS_KEY_ID")
    secret = need_env(api, "AWS_SECRET_ACCESS_KEY")
    token = os.environ.get("AWS_SESSION_TOKEN")
    auth = req.headers.get("Authorization")
    if not auth:
        refuse(api, 401, "MissingAuthenticationTokenException", "no Authorization header")
    if token:
        given = req.headers.get("X-Amz-Security-Token")
        if given is None:
            refuse(api, 401, "MissingAuthenticationTokenException", "no X-Amz-Security-Token")
        if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), token.encode()):
            refuse(api, 403, "UnrecognizedClientException", "wrong X-Amz-Security-Token")
    ok, why = sigv4_check.verify(req.command, path, query, req.headers, body, access, secret,
                                 AWS_REGION, AWS_SERVICE)
    if not ok:
        refuse(api, 403, "InvalidSignatureException", str(why))


# ---- the four APIs: (api, call, images, answer function) ----------------------

def generic_request(req, call, body):
    api = "generic"
    # The key as a header, a bearer token or a query parameter: the three
    # auth kinds a description may choose for it.
    key = need_env(api, "SHADES_SERVICE_KEY")
    bearer = req.headers.get("Authorization") or ""
    in_query = urllib.parse.parse_qs(urllib.parse.urlsplit(req.path).query).get("api_key")
    if bearer.startswith("Bearer "):
        check_secret(api, bearer[7:], key, "bearer token")
    elif in_query:
        check_secret(api, in_query[0], key, "api_key parameter")
    else:
        check_secret(api, req.headers.get("X-Api-Key"), key, "X-Api-Key")
    parts = parse_multipart(api, req.headers.get("Content-Type"), body)
    names = ["image1", "image2"] if call == "verify" else ["image"]
    return [part_named(api, parts, n, True) for n in names], {}


def aws_request(req, call, body, path, query):
    api = "aws-rekognition"
    check_sigv4(req, path, query, body)
    ctype = (req.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if ctype != AWS_JSON:
        refuse(api, 400, "SerializationException", "Content-Type is %r, expected %s"
               % (req.headers.get("Content-Type"), AWS_JSON))
    doc = json_body(api, body)
    if not isinstance(doc, dict):
        refuse(api, 400, "SerializationException", "body is not a JSON object")
    if call == "detect":
        img = doc.get("Image")
        if not isinstance(img, dict) or "Bytes" not in img:
            refuse(api, 400, "InvalidParameterException", "no Image.Bytes")
        attrs = doc.get("Attributes", ["DEFAULT"])
        return [b64_image(api, img["Bytes"], "Image.Bytes")], {"all": "ALL" in attrs}
    images = []
    for key in ("SourceImage", "TargetImage"):
        img = doc.get(key)
        if not isinstance(img, dict) or "Bytes" not in img:
            refuse(api, 400, "InvalidParameterException", "no %s.Bytes" % key)
        images.append(b64_image(api, img["Bytes"], key + ".Bytes"))
    threshold = doc.get("SimilarityThreshold", 80)
    if not isinstance(threshold, (int, float)) or not 0 <= threshold <= 100:
        refuse(api, 400, "InvalidParameterException", "SimilarityThreshold not in [0, 100]")
    return images, {"threshold": threshold}


def azure_request(req, call, body, query):
    api = "azure-face"
    check_secret(api, req.headers.get("Ocp-Apim-Subscription-Key"),
                 need_env(api, "AZURE_FACE_KEY"), "Ocp-Apim-Subscription-Key")
    ctype = (req.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if ctype != "application/octet-stream":
        refuse(api, 415, "BadArgument", "Content-Type is %r, expected application/octet-stream"
               % req.headers.get("Content-Type"))
    q = urllib.parse.parse_qs(query, keep_blank_values=True)
    attrs = ",".join(q.get("returnFaceAttributes", [])).split(",")
    face_id = q.get("returnFaceId", ["true"])[-1].lower() != "false"
    return [body], {"attrs": [a for a in attrs if a], "face_id": face_id}


def facepp_request(req, call, body):
    api = "facepp"
    parts = parse_multipart(api, req.headers.get("Content-Type"), body)
    fields = {p[0]: p[2] for p in parts if p[1] is None}

    def text(name):
        v = fields.get(name)
        return None if v is None else v.decode("utf-8", "surrogateescape")

    check_secret(api, text("api_key"), need_env(api, "FACEPP_API_KEY"), "api_key")
    check_secret(api, text("api_secret"), need_env(api, "FACEPP_API_SECRET"), "api_secret")
    if call == "detect":
        wanted = (text("return_attributes") or "").split(",")
        return [part_named(api, parts, "image_file", True)], {"attrs": [a for a in wanted if a]}
    return [part_named(api, parts, n, True) for n in ("image_file1", "image_file2")], {}


def answer(api, call, faces, extra, opts):
    """The rule's JSON answer for the API's shape."""
    missing, empty = opts.missing_field, opts.empty_faces
    if call == "detect":
        f = faces[0]
        if api == "generic":
            one = {"box": {"x": 0, "y": 0, "width": f.width, "height": f.height},
                   "confidence": face_rule.FACE_CONFIDENCE,
                   "sex": {"label": "female" if f.female else "male",
                           "confidence": face_rule.SEX_CONFIDENCE},
                   "age": f.age}
            if missing:
                del one["sex"]
            return {"faces": [] if empty else [one]}
        if api == "aws-rekognition":
            one = {"BoundingBox": {"Width": 1.0, "Height": 1.0, "Left": 0.0, "Top": 0.0},
                   "Confidence": 100 * face_rule.FACE_CONFIDENCE}
            if extra["all"]:
                one["AgeRange"] = {"Low": f.age - 2, "High": f.age + 2}
                one["Gender"] = {"Value": "Female" if f.female else "Male",
                                 "Confidence": 100 * face_rule.SEX_CONFIDENCE}
                if missing:
                    del one["Gender"]
            return {"FaceDetails": [] if empty else [one]}
        if api == "azure-face":
            one = {"faceRectangle": {"top": 0, "left": 0, "width": f.width, "height": f.height}}
            if extra["face_id"]:
                one["faceId"] = "%s-0000-4000-8000-000000000000" % f.sha[:8]
            fa = {}
            if "age" in extra["attrs"]:
                fa["age"] = float(f.age)
            if "gender" in extra["attrs"] and not missing:
                fa["gender"] = "female" if f.female else "male"
            if extra["attrs"]:
                one["faceAttributes"] = fa
            return [] if empty else [one]
        # facepp
        one = {"face_token": f.sha[:32],
               "face_rectangle": {"top": 0, "left": 0, "width": f.width, "height": f.height}}
        at = {}
        if "gender" in extra["attrs"] and not missing:
            at["gender"] = {"value": "Female" if f.female else "Male"}
        if "age" in extra["attrs"]:
            at["age"] = {"value": f.age}
        if extra["attrs"]:
            one["attributes"] = at
        faces_out = [] if empty else [one]
        return {"request_id": "%d,%s" % (int(time.time()), f.sha[:16]), "time_used": 1,
                "image_id": f.sha[32:56], "faces": faces_out, "face_num": len(faces_out)}
    if call == "embed":
        return {} if missing else {"embedding": faces[0].embedding()}
    s = face_rule.similarity(faces[0].mean, faces[1].mean)
    if api == "generic":
        return {} if missing else {"similarity": s}
    if api == "aws-rekognition":
        pct = 100 * s
        box = {"Width": 1.0, "Height": 1.0, "Left": 0.0, "Top": 0.0}
        target = {"BoundingBox": box, "Confidence": 100 * face_rule.FACE_CONFIDENCE}
        out = {"SourceImageFace": {"BoundingBox": box,
                                   "Confidence": 100 * face_rule.FACE_CONFIDENCE}}
        if missing:
            return out
        if pct >= extra["threshold"]:
            out["FaceMatches"] = [{"Similarity": pct, "Face": target}]
            out["UnmatchedFaces"] = []
        else:
            out["FaceMatches"] = []
            out["UnmatchedFaces"] = [target]
        return out
    # facepp compare
    out = {"request_id": "%d,%s" % (int(time.time()), faces[0].sha[:16]), "time_used": 1,
           "thresholds": {"1e-3": 62.327, "1e-4": 69.101, "1e-5": 73.975},
           "confidence": 100 * s}
    if missing:
        del out["confidence"]
    return out


# ---- the server -------------------------------------------------------------

class State:
    def __init__(self, opts):
        self.opts = opts
        self.lock = threading.Lock()
        self.seen = {}        # image set -> requests so far
        self.successes = 0
        self.log = open(opts.log, "a", encoding="utf-8") if opts.log else None

    def count(self, key):
        with self.lock:
            n = self.seen.get(key, 0)
            self.seen[key] = n + 1
            return n

    def write_log(self, api, call, images, status):
        if not self.log:
            return
        line = json.dumps({"api": api, "call": call, "images": images, "status": status})
        with self.lock:
            self.log.write(line + "\n")
            self.log.flush()


ROUTES = {
    "/v1/detect": ("generic", "detect"),
    "/v1/verify": ("generic", "verify"),
    "/v1/embed": ("generic", "embed"),
    "/face/v1.0/detect": ("azure-face", "detect"),
    "/facepp/v3/detect": ("facepp", "detect"),
    "/facepp/v3/compare": ("facepp", "verify"),
}
AWS_TARGETS = {"RekognitionService.DetectFaces": "detect",
               "RekognitionService.CompareFaces": "verify"}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "shades-loopback-face/1"

    def log_message(self, fmt, *args):  # the JSON log is the record
        pass

    def send(self, status, payload, headers=None, raw=None):
        data = raw if raw is not None else json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if self.api != "aws-rekognition"
                         else AWS_JSON)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def do_GET(self):
        self.api = None
        self.handle_any(b"", allowed=False)

    def do_PUT(self):
        self.do_GET()

    def do_POST(self):
        self.api = None
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            body = self.read_chunked()
            if body is None:
                self.close_connection = True
                self.send(400, {"error": "malformed chunked body"})
                self.server.state.write_log(None, None, [], 400)
                return
            self.handle_any(body, allowed=True)
            return
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self.close_connection = True
            self.send(411, {"error": "Content-Length required"})
            self.server.state.write_log(None, None, [], 411)
            return
        body = self.rfile.read(int(length))
        self.handle_any(body, allowed=True)

    def read_chunked(self):
        body = b""
        while True:
            line = self.rfile.readline(1024).split(b";")[0].strip()
            try:
                size = int(line, 16)
            except ValueError:
                return None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return body
            body += self.rfile.read(size)
            if self.rfile.read(2) != b"\r\n":
                return None

    def handle_any(self, body, allowed):
        state = self.server.state
        opts = state.opts
        path, _, query = self.path.partition("?")
        api = call = None
        images = []
        try:
            if path in ROUTES:
                api, call = ROUTES[path]
            elif path == "/" and self.headers.get("X-Amz-Target") is not None:
                api = "aws-rekognition"
                call = AWS_TARGETS.get(self.headers.get("X-Amz-Target"))
                if call is None:
                    self.api = api
                    refuse(api, 400, "UnknownOperationException", "unknown X-Amz-Target %r"
                           % self.headers.get("X-Amz-Target"))
            else:
                refuse(None, 404, "NotFound", "no route for %s %s" % (self.command, path))
            self.api = api
            if not allowed:
                refuse(api, 405, "MethodNotAllowed", "use POST")
            if api == "generic":
                payloads, extra = generic_request(self, call, body)
            elif api == "aws-rekognition":
                payloads, extra = aws_request(self, call, body, path, query)
            elif api == "azure-face":
                payloads, extra = azure_request(self, call, body, query)
            else:
                payloads, extra = facepp_request(self, call, body)
            images = [hashlib.sha256(p).hexdigest() for p in payloads]
            key = (api, call, tuple(images))
            n = state.count(key)
            if opts.slow > 0 and (opts.slow_first is None or n < opts.slow_first):
                time.sleep(opts.slow)
            if n < opts.fail_first:
                hdrs = {}
                if opts.fail_status == 429 and opts.retry_after > 0:
                    hdrs["Retry-After"] = "%g" % opts.retry_after
                refuse(api, opts.fail_status,
                       "ThrottlingException" if opts.fail_status == 429 else "InternalError",
                       "planted failure %d of %d for this image set" % (n + 1, opts.fail_first),
                       hdrs)
            if opts.stop_after is not None:
                with state.lock:
                    stopped = state.successes >= opts.stop_after
                if stopped:
                    refuse(api, 503, "ServiceUnavailable",
                           "stopped after %d answers" % opts.stop_after)
            faces = []
            for i, p in enumerate(payloads):
                f = face_of(api, p, "image %d" % (i + 1))
                f.sha = images[i]
                faces.append(f)
            out = answer(api, call, faces, extra, opts)
            with state.lock:
                state.successes += 1
            if opts.malformed:
                self.send(200, None, raw=b'{"faces": [{"box": {"x": 0,, "truncated')
            else:
                self.send(200, out)
            state.write_log(api, call, images, 200)
        except Refusal as r:
            self.send(r.status, r.body, r.headers)
            state.write_log(api, call, images, r.status)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--fail-first", type=int, default=0, metavar="N")
    ap.add_argument("--fail-status", type=int, default=429, metavar="CODE")
    ap.add_argument("--retry-after", type=float, default=1, metavar="S")
    ap.add_argument("--slow", type=float, default=0, metavar="S")
    ap.add_argument("--slow-first", type=int, default=None, metavar="N")
    ap.add_argument("--malformed", action="store_true")
    ap.add_argument("--missing-field", action="store_true")
    ap.add_argument("--empty-faces", action="store_true")
    ap.add_argument("--stop-after", type=int, default=None, metavar="N")
    ap.add_argument("--echo-credentials", action="store_true")
    opts = ap.parse_args(argv)
    global ECHO_CREDENTIALS
    ECHO_CREDENTIALS = opts.echo_credentials
    if not 400 <= opts.fail_status <= 599:
        ap.error("--fail-status must be a 4xx or 5xx code")
    if opts.fail_first < 0 or opts.slow < 0 or opts.retry_after < 0:
        ap.error("counts and times must not be negative")

    srv = Server(("127.0.0.1", 0), Handler)
    srv.state = State(opts)

    def stop(signum, frame):
        threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    tmp = opts.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.replace(tmp, opts.port_file)
    try:
        srv.serve_forever(poll_interval=0.1)
    finally:
        srv.server_close()
        if srv.state.log:
            srv.state.log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
