#!/usr/bin/env python3
"""What the loopback face service (server.py) will answer for a dataset,
computed from the ORIGINAL image files, written as the files shades' replay
engine reads (docs/datasets.md, "Replay"), so that a replay run over them
must give exactly the tables an http-engine run through server.py gives.

usage:
  expected.py predictions MANIFEST OUT.csv [options]
      one row per manifest image: image_id,predicted,confidence,age
      (replay: predictions: {file: OUT.csv}; the defaults image_id,
      predicted, confidence). predicted is --female / --male (default F / M,
      the classification's engine_labels); empty where the engine gets no
      sex (--empty-faces, --missing-field). confidence is the sex
      confidence the service reports (0.9), empty for services whose
      description reads none (azure-face, facepp). age is extra, for
      checks; replay ignores it.
  expected.py scores MANIFEST PAIRS.csv|all OUT.csv [options]
      one row per pair: reference_id,probe_id,score (replay: scores:
      {file: OUT.csv}). PAIRS.csv is a pair list with columns
      reference_id and probe_id (--reference / --probe rename them); "all"
      scores every pair (a, b) of the manifest with a before b, reference
      a, probe b, which covers generated genuine and impostor pairs, "all"
      and "sample" alike (replay skips rows the run does not use).

options:
  --root DIR          the dataset root (default: the card's root when
                      --card names one, else the manifest's folder)
  --card FILE         a dataset card whose root: line gives the root
  --service NAME      generic (default), aws-rekognition, azure-face or
                      facepp: which description's units and absent-field
                      rules the engine applies
  --call verify|embed scores from the verify call (default) or from
                      embeddings (generic only)
  --metric M          embed: cosine (default), dot or neg_l2
  --similarity-threshold T   aws-rekognition: the SimilarityThreshold the
                      description sends (default 0); a pair under it has
                      no FaceMatches, which score_absent makes 0
  --missing-field     mirrors server.py --missing-field
  --empty-faces       mirrors server.py --empty-faces
  --female L --male L the class labels written (default F and M)

Scores are the doubles the adapter will hold: for services that answer in
percent (aws-rekognition Similarity, facepp confidence) the server sends
100 * s and the description divides by 100, so the score is (100 * s) / 100,
which is not always s; the server's json.dumps writes the shortest repr, so
the client parses the same double. Scores are written with repr().
A missing score under a description without score_absent is a failed
comparison: an empty score field.
"""

import argparse
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import face_rule  # noqa: E402

SERVICES = ("generic", "aws-rekognition", "azure-face", "facepp")
# services whose description reads a sex confidence
SEX_CONFIDENCE = {"generic": 1, "aws-rekognition": 100}
# percent scales of verify scores
SCORE_SCALE = {"generic": 1, "aws-rekognition": 100, "facepp": 100}


def die(msg):
    print("expected.py: error: " + msg, file=sys.stderr)
    sys.exit(2)


def read_csv(path):
    """Rows as dicts; a UTF-8 byte-order mark is skipped, as shades does."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f, strict=True)
            rows = list(reader)
    except (OSError, csv.Error, UnicodeDecodeError) as e:
        die("%s: %s" % (path, e))
    if not rows:
        die("%s: empty file, expected a header row" % path)
    header = rows[0]
    out = []
    for n, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            die("%s:%d: row has %d fields, the header has %d" % (path, n, len(r), len(header)))
        out.append(dict(zip(header, r)))
    return header, out


def card_root(card):
    """The root: of a dataset card, relative to its folder; None if none."""
    try:
        with open(card, encoding="utf-8") as f:
            for line in f:
                if line.startswith("root:"):
                    v = line[5:].split(" #")[0].strip().strip('"').strip("'")
                    return os.path.join(os.path.dirname(os.path.abspath(card)), v)
    except OSError as e:
        die("%s: %s" % (card, e))
    return None


class Dataset:
    def __init__(self, manifest, root, card):
        header, rows = read_csv(manifest)
        for col in ("image_id", "subject_id", "path"):
            if col not in header:
                die("%s: header: no column '%s'" % (manifest, col))
        if root is None and card:
            root = card_root(card)
        if root is None:
            root = os.path.dirname(os.path.abspath(manifest))
        self.ids = [r["image_id"] for r in rows]
        self.path = {r["image_id"]: os.path.join(root, r["path"]) for r in rows}
        if len(self.path) != len(self.ids):
            die("%s: an image_id is given twice" % manifest)
        self._faces = {}

    def face(self, image_id):
        f = self._faces.get(image_id)
        if f is None:
            p = self.path[image_id]
            try:
                f = face_rule.face_of_file(p)
            except (OSError, face_rule.PngError) as e:
                die("%s: %s" % (p, e))
            self._faces[image_id] = f
        return f


def predictions(ds, opts, out):
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["image_id", "predicted", "confidence", "age"])
    scale = SEX_CONFIDENCE.get(opts.service)
    for i in ds.ids:
        f = ds.face(i)
        if opts.empty_faces:
            w.writerow([i, "", "", ""])
            continue
        label = "" if opts.missing_field else (opts.female if f.female else opts.male)
        conf = ""
        if label and scale:
            conf = repr((scale * face_rule.SEX_CONFIDENCE) / scale)
        w.writerow([i, label, conf, f.age])


def verify_score(f1, f2, opts):
    """The score the adapter holds for one verify call, or None (failed)."""
    if opts.call == "embed":
        if opts.missing_field:
            return None
        return face_rule.embedding_score(f1.embedding(), f2.embedding(), opts.metric)
    s = face_rule.similarity(f1.mean, f2.mean)
    scale = SCORE_SCALE[opts.service]
    if opts.service == "aws-rekognition":
        if opts.missing_field or 100 * s < opts.similarity_threshold:
            return 0.0  # score_absent: 0
    elif opts.missing_field:
        return None
    return (scale * s) / scale if scale != 1 else s


def scores(ds, pairs, opts, out):
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["reference_id", "probe_id", "score"])
    if pairs == "all":
        todo = ((ds.ids[a], ds.ids[b]) for a in range(len(ds.ids))
                for b in range(a + 1, len(ds.ids)))
    else:
        header, rows = read_csv(pairs)
        for col in (opts.reference, opts.probe):
            if col not in header:
                die("%s: header: no column '%s'" % (pairs, col))
        todo = []
        for n, r in enumerate(rows, start=2):
            for col in (opts.reference, opts.probe):
                if r[col] not in ds.path:
                    die("%s:%d: field '%s': '%s' is not an image_id of the manifest"
                        % (pairs, n, col, r[col]))
            todo.append((r[opts.reference], r[opts.probe]))
    for ref, probe in todo:
        # the engine compares the probe (verify template) against the reference
        s = verify_score(ds.face(probe), ds.face(ref), opts)
        w.writerow([ref, probe, "" if s is None else repr(s)])


def main(argv=None):
    ap = argparse.ArgumentParser(
        usage="expected.py predictions MANIFEST OUT.csv | "
              "expected.py scores MANIFEST PAIRS.csv|all OUT.csv  [options]",
        description="replay files of what server.py answers for a dataset")
    ap.add_argument("what", choices=["predictions", "scores"])
    ap.add_argument("args", nargs="+")
    ap.add_argument("--root")
    ap.add_argument("--card")
    ap.add_argument("--service", choices=SERVICES, default="generic")
    ap.add_argument("--call", choices=["verify", "embed"], default="verify")
    ap.add_argument("--metric", choices=["cosine", "dot", "neg_l2"], default="cosine")
    ap.add_argument("--similarity-threshold", type=float, default=0.0)
    ap.add_argument("--missing-field", action="store_true")
    ap.add_argument("--empty-faces", action="store_true")
    ap.add_argument("--female", default="F")
    ap.add_argument("--male", default="M")
    ap.add_argument("--reference", default="reference_id")
    ap.add_argument("--probe", default="probe_id")
    opts = ap.parse_args(argv)
    want = 2 if opts.what == "predictions" else 3
    if len(opts.args) != want:
        ap.error("%s takes %d arguments" % (opts.what, want))
    if opts.what == "scores":
        if opts.service == "azure-face":
            ap.error("azure-face describes no verify call")
        if opts.call == "embed" and opts.service != "generic":
            ap.error("only generic describes an embed call")
    ds = Dataset(opts.args[0], opts.root, opts.card)
    target = opts.args[-1]
    tmp = target + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as out:
        if opts.what == "predictions":
            predictions(ds, opts, out)
        else:
            scores(ds, opts.args[1], opts, out)
    os.replace(tmp, target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
