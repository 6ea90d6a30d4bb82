#!/usr/bin/env python3
"""Writes two small stand-in ONNX models with the input and output layout of
OpenCV Zoo's YuNet (2022mar) and SFace, so the test suite runs the
opencv-dnn adapter's loading, detection parsing, alignment and feature code
without the real models (which the project may not ship or download).

yunet-test.onnx: input 1x3x160x160 (BGR, 0..255). Outputs loc (priors x 14),
conf (priors x 2) and iou (priors) for the 1462 priors OpenCV 4.6 generates
for a 160x160 input. One prior, centred, carries a face whose box and five
landmarks sit where `shades synth` draws a 128-pixel face letterboxed to 160;
its score rises with the image's mean brightness, so a black image has no
face. Every other prior scores near zero.

sface-test.onnx: input 1x3x112x112 -> 8x8 average pooling -> a fixed random
projection with zero-sum columns to 128 floats: a feature that depends on
the aligned face, not a recogniser. sface-test-64.onnx is the same with 64
floats, for an engine that must take its feature length from the model.

Usage: make_test_models.py OUTDIR"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SIDE = 160
STEPS = [8, 16, 32, 64]
MIN_SIZES = [[10, 16, 24], [32, 48], [64, 96], [128, 192, 256]]


def feature_maps(side):
    second = (side + 1) // 2 // 2
    maps = [second // 2]
    for _ in range(3):
        maps.append(maps[-1] // 2)
    return maps


def priors(side):
    out = []
    for fm, step, sizes in zip(feature_maps(side), STEPS, MIN_SIZES):
        for h in range(fm):
            for w in range(fm):
                for s in sizes:
                    out.append(((w + 0.5) * step / side, (h + 0.5) * step / side,
                                s / side, s / side))
    return out


def yunet(path):
    pri = priors(SIDE)
    n = len(pri)
    # The centred prior of min size 96 on the stride-32 map.
    face = next(i for i, p in enumerate(pri)
                if abs(p[0] - 0.5) < 1e-6 and abs(p[1] - 0.5) < 1e-6 and abs(p[2] * SIDE - 96) < 1e-6)
    cx, cy, pw, ph = pri[face]
    # Where shades synth puts a 128-px face's parts (synth/face_render.c:
    # half-height 0.30 of the side, mean identity), scaled by 160/128.
    k = 1.25
    half = 0.30 * 128 * k
    centre = 64 * k
    box_w, box_h = 2 * 0.76 * half, 2 * half
    points = [(-0.325, -0.11), (0.325, -0.11), (0.0, 0.29), (-0.2, 0.49), (0.2, 0.49)]
    loc = np.zeros((n, 14), np.float32)
    loc[face, 0] = (centre / SIDE - cx) / (0.1 * pw)
    loc[face, 1] = (centre / SIDE - cy) / (0.1 * ph)
    loc[face, 2] = np.log(box_w / (pw * SIDE)) / 0.1
    loc[face, 3] = np.log(box_h / (ph * SIDE)) / 0.2
    for j, (px, py) in enumerate(points):
        x, y = centre + px * half, centre + py * half
        loc[face, 4 + 2 * j] = (x / SIDE - cx) / (0.1 * pw)
        loc[face, 5 + 2 * j] = (y / SIDE - cy) / (0.1 * ph)

    conf_w = np.zeros((3, 2 * n), np.float32)
    conf_b = np.full(2 * n, -10.0, np.float32)
    conf_w[:, 2 * face + 1] = 0.05
    conf_b[2 * face + 1] = -4.0
    nodes = [
        helper.make_node("GlobalAveragePool", ["input"], ["pooled"]),
        helper.make_node("Flatten", ["pooled"], ["mean"], axis=1),
        helper.make_node("Gemm", ["mean", "loc_w", "loc_b"], ["loc"], transB=1),
        helper.make_node("Gemm", ["mean", "conf_w", "conf_b"], ["conf_logit"], transB=1),
        helper.make_node("Sigmoid", ["conf_logit"], ["conf"]),
        helper.make_node("Gemm", ["mean", "iou_w", "iou_b"], ["iou"], transB=1),
    ]
    inits = [
        numpy_helper.from_array(np.zeros((14 * n, 3), np.float32), "loc_w"),
        numpy_helper.from_array(loc.reshape(-1), "loc_b"),
        numpy_helper.from_array(np.ascontiguousarray(conf_w.T), "conf_w"),
        numpy_helper.from_array(conf_b, "conf_b"),
        numpy_helper.from_array(np.zeros((n, 3), np.float32), "iou_w"),
        numpy_helper.from_array(np.ones(n, np.float32), "iou_b"),
    ]
    graph = helper.make_graph(
        nodes, "yunet-test",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, SIDE, SIDE])],
        [helper.make_tensor_value_info("loc", TensorProto.FLOAT, [1, 14 * n]),
         helper.make_tensor_value_info("conf", TensorProto.FLOAT, [1, 2 * n]),
         helper.make_tensor_value_info("iou", TensorProto.FLOAT, [1, n])],
        inits)
    save(graph, path)


def sface(path, dim=128):
    rng = np.random.default_rng(20261122)
    w = rng.standard_normal((3 * 14 * 14, dim)).astype(np.float32)
    w -= w.mean(axis=0, keepdims=True)
    nodes = [
        helper.make_node("AveragePool", ["data"], ["pooled"], kernel_shape=[8, 8], strides=[8, 8]),
        helper.make_node("Flatten", ["pooled"], ["flat"], axis=1),
        helper.make_node("Gemm", ["flat", "proj", "bias"], ["fc1"], transB=1),
    ]
    inits = [numpy_helper.from_array(np.ascontiguousarray(w.T), "proj"),
             numpy_helper.from_array(np.zeros(dim, np.float32), "bias")]
    graph = helper.make_graph(
        nodes, "sface-test",
        [helper.make_tensor_value_info("data", TensorProto.FLOAT, [1, 3, 112, 112])],
        [helper.make_tensor_value_info("fc1", TensorProto.FLOAT, [1, dim])],
        inits)
    save(graph, path)


# Gemm nodes use transB=1: OpenCV 4.6 reads Gemm weights as outputs x inputs.
def save(graph, path):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)])
    model.ir_version = 6
    onnx.checker.check_model(model)
    onnx.save(model, path)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    yunet(sys.argv[1] + "/yunet-test.onnx")
    sface(sys.argv[1] + "/sface-test.onnx")
    sface(sys.argv[1] + "/sface-test-64.onnx", 64)
